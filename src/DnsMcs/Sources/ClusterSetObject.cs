using DnsMcs.Zone;

namespace DnsMcs.Sources;

/// <summary>
/// A translated object ready for the index: it knows its key, how to put and remove itself through
/// <see cref="IClusterSetWriter"/>, and whether another version of it would change anything, so every
/// source can skip writes that change nothing.
/// </summary>
internal abstract class ClusterSetObject
{
    public abstract ObjectKey Key { get; }

    public abstract void Apply(IClusterSetWriter writer);

    public abstract void Remove(IClusterSetWriter writer);

    /// <summary>True when <paramref name="other"/> carries exactly the same DNS-relevant content.</summary>
    public abstract bool ContentEquals(ClusterSetObject other);

    public override string ToString() => Key.ToString();
}
