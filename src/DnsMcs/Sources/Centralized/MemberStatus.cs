namespace DnsMcs.Sources.Centralized;

/// <summary>
/// One member as /ready details show it: whether every watch on it is connected (else the first reason
/// why not, and since when), and whether it has listed everything once (or was given up on at startup).
/// </summary>
internal sealed record MemberStatus(string Name, bool Connected, bool Synced, bool SyncTimedOut, string? Reason, DateTimeOffset Since)
{
    public override string ToString() =>
        (Connected ? $"{Name}: connected" : $"{Name}: not watching ({Reason})")
        + (Synced ? string.Empty : SyncTimedOut ? ", never synced (sync timeout passed)" : ", syncing");
}
