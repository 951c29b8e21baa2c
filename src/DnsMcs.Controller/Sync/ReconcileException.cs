namespace DnsMcs.Controller.Sync;

/// <summary>A reconcile that failed in some member after making <see cref="Writes"/> writes elsewhere.</summary>
internal sealed class ReconcileException : Exception
{
    public ReconcileException()
    {
    }

    public ReconcileException(string message)
        : base(message)
    {
    }

    public ReconcileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ReconcileException(int writes, Exception innerException)
        : base(innerException.Message, innerException)
    {
        Writes = writes;
    }

    public int Writes { get; }
}
