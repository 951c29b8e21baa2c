namespace DnsMcs.Controller.Probing;

/// <summary>How the prober checks one endpoint; replaceable so tests (or other transports) can stand in for TCP.</summary>
public interface IEndpointDialer
{
    /// <summary>True when a connection to <paramref name="address"/>:<paramref name="port"/> opens within <paramref name="timeout"/>.</summary>
    Task<bool> CanConnectAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken);
}
