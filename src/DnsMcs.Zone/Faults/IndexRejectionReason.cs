namespace DnsMcs.Zone.Faults;

/// <summary>
/// Why the index left a name or records out of a service's answers. A small closed set, so it can label a metric;
/// <see cref="IndexRejectionReasons.Label"/> gives the label values.
/// </summary>
public enum IndexRejectionReason : byte
{
    /// <summary>A label would be longer than 63 bytes (a 63-character port name makes a 64-byte "_port").</summary>
    LabelTooLong,

    /// <summary>A name would be longer than 255 bytes in wire form.</summary>
    NameTooLong,

    /// <summary>A value cannot be one label: empty, with a dot, or not printable ASCII.</summary>
    InvalidLabel,

    /// <summary>A slice's cluster (or the local cluster id) is not one or two DNS labels.</summary>
    InvalidClusterId,

    /// <summary>An RRset would not fit in the largest DNS message (65535 bytes): the records past it are left out.</summary>
    AnswerTooLarge,

    /// <summary>Building the service's answers failed unexpectedly; its previous answers are kept.</summary>
    BuildFailed,
}
