namespace DnsMcs.Controller.Members;

/// <summary>What a member tells the controller: keys to reconcile, and changes of its own state.</summary>
internal interface IMemberListener
{
    /// <summary>A change that concerns one namespace/name.</summary>
    void OnKeyChanged(string key);

    /// <summary>A namespace appeared or went: every key in it may change.</summary>
    void OnNamespaceChanged(string ns);

    /// <summary>The member finished its first sync, or lost or regained its API server.</summary>
    void OnMemberStateChanged(MemberCluster member);
}
