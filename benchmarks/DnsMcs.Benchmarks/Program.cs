public static class Bench { public static void Main() { } }
