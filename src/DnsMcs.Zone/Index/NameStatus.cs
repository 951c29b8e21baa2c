namespace DnsMcs.Zone.Index;

/// <summary>What the zone's grammar says about a query name.</summary>
internal enum NameStatus : byte
{
    /// <summary>Not at or below the zone apex: REFUSED.</summary>
    OutOfZone,

    /// <summary>In the zone but no such name: NXDOMAIN.</summary>
    NameError,

    /// <summary>The name exists; its node says which types it has.</summary>
    Exists,
}
