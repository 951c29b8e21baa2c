using System.Threading.Channels;

namespace DnsMcs.FakeKubeApi;

/// <summary>One open watch: the store pushes every change of its resource here, in resourceVersion order.</summary>
internal sealed class WatchSubscription(string storeKey)
{
    public string StoreKey { get; } = storeKey;

    public Channel<StoreEvent> Events { get; } = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Stop sending anything while keeping the connection open (a dead NAT mapping, as the client sees it).</summary>
    public volatile bool Stalled;

    /// <summary>When cutting: end the response cleanly after half an event instead of aborting the connection.</summary>
    public volatile bool CutCleanly;
}
