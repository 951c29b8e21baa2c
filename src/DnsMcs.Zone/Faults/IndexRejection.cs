namespace DnsMcs.Zone.Faults;

/// <summary>
/// Something of one service the index could not serve, and why. <see cref="Object"/> is the object that carried
/// the value ("ServiceImport shop/web", "EndpointSlice shop/web-a"), <see cref="Field"/> the field
/// ("ports[metrics]"), <see cref="Subject"/> the value or name at fault, <see cref="Detail"/> what was left out.
/// Everything else of the service is served. Two rejections with the same reason, object, field and subject are
/// the same fault (reported once, however often the service is rebuilt).
/// </summary>
public sealed record IndexRejection(
    string Namespace,
    string Service,
    IndexRejectionReason Reason,
    string Object,
    string Field,
    string Subject,
    string Detail)
{
    internal (IndexRejectionReason, string, string, string) Identity => (Reason, Object, Field, Subject);

    public override string ToString() => $"{Namespace}/{Service}: {IndexRejectionReasons.Label(Reason)} in {Object} {Field} \"{Subject}\": {Detail}";
}
