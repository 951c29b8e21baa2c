using System.Text.Json;
using DnsMcs.Kubernetes.Models;

namespace DnsMcs.Kubernetes.Client;

/// <summary>
/// Parses one watch line {"type":..., "object":{...}} in a single pass: the object is
/// deserialized straight from the reader into the model its type calls for (T, a metadata-only
/// skeleton for BOOKMARK, Status for ERROR). Only if "object" comes before "type" (the API
/// server never does that) is the object's slice read a second time.
/// </summary>
internal static class WatchEventParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true };

    public const string InitialEventsEndAnnotation = "k8s.io/initial-events-end";

    public static WatchEvent<T> Parse<T>(ReadOnlySpan<byte> line, ResourceType<T> type, long arrivedAt)
        where T : KubernetesObject
    {
        var reader = new Utf8JsonReader(line, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("watch event is not a JSON object");
        }

        WatchEventType? eventType = null;
        WatchEvent<T>? parsed = null;
        var deferredStart = -1;
        var deferredLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                eventType = ParseType(ref reader);
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                if (eventType is { } known)
                {
                    parsed = ReadObject(ref reader, known, type, arrivedAt);
                }
                else
                {
                    deferredStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    deferredLength = (int)reader.BytesConsumed - deferredStart;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (eventType is not { } kind)
        {
            throw new JsonException("watch event has no type");
        }

        if (parsed is null && deferredStart >= 0)
        {
            var objectReader = new Utf8JsonReader(line.Slice(deferredStart, deferredLength), ReaderOptions);
            objectReader.Read();
            parsed = ReadObject(ref objectReader, kind, type, arrivedAt);
        }

        return parsed ?? throw new JsonException($"watch event {kind} has no object");
    }

    private static WatchEventType ParseType(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("ADDED"u8))
        {
            return WatchEventType.Added;
        }

        if (reader.ValueTextEquals("MODIFIED"u8))
        {
            return WatchEventType.Modified;
        }

        if (reader.ValueTextEquals("DELETED"u8))
        {
            return WatchEventType.Deleted;
        }

        if (reader.ValueTextEquals("BOOKMARK"u8))
        {
            return WatchEventType.Bookmark;
        }

        if (reader.ValueTextEquals("ERROR"u8))
        {
            return WatchEventType.Error;
        }

        throw new JsonException($"unknown watch event type {reader.GetString()}");
    }

    private static WatchEvent<T> ReadObject<T>(ref Utf8JsonReader reader, WatchEventType kind, ResourceType<T> type, long arrivedAt)
        where T : KubernetesObject
    {
        switch (kind)
        {
            case WatchEventType.Bookmark:
                // A skeleton: only metadata is read, nothing is validated as a real object.
                var skeleton = JsonSerializer.Deserialize(ref reader, ClientJsonContext.Default.ObjectSkeleton);
                var annotations = skeleton?.Metadata.Annotations;
                return new WatchEvent<T>
                {
                    Type = kind,
                    ResourceVersion = skeleton?.Metadata.ResourceVersion,
                    IsInitialEventsEnd = annotations is not null && annotations.TryGetValue(InitialEventsEndAnnotation, out var end) && string.Equals(end, "true", StringComparison.Ordinal),
                    ArrivedAt = arrivedAt,
                };
            case WatchEventType.Error:
                var status = JsonSerializer.Deserialize(ref reader, KubernetesJsonContext.Default.Status);
                return new WatchEvent<T> { Type = kind, Error = status, ArrivedAt = arrivedAt };
            default:
                var obj = JsonSerializer.Deserialize(ref reader, type.TypeInfo) ?? throw new JsonException($"watch event {kind} has a null object");
                return new WatchEvent<T> { Type = kind, Object = obj, ResourceVersion = obj.Metadata.ResourceVersion, ArrivedAt = arrivedAt };
        }
    }
}
