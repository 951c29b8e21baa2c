namespace DnsMcs.Controller.Tests;

public sealed class MemberSettingsTests
{
    public static TheoryData<string, string, string?, string?> Forms => new()
    {
        { "east=/etc/kube/east.yaml", "east", "/etc/kube/east.yaml", null },
        { "east=/etc/kube/east.yaml@prod", "east", "/etc/kube/east.yaml", "prod" },
        { "east=/home/me@work/config", "east", "/home/me@work/config", null },
        { "east=", "east", null, null },
        { "east=config@ctx", "east", "config", "ctx" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Parse_Forms_NameKubeconfigContext(string text, string name, string? kubeconfig, string? context)
    {
        Assert.Equal(new MemberSettings(name, kubeconfig, context), MemberSettings.Parse(text));
    }

    [Theory]
    [InlineData("east")]
    [InlineData("=config")]
    public void Parse_NoName_Throws(string text) => Assert.Throws<FormatException>(() => MemberSettings.Parse(text));
}
