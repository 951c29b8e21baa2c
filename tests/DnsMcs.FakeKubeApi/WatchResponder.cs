using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DnsMcs.FakeKubeApi;

/// <summary>
/// One watch response, as the API server's watch cache sends it: HTTP 200 with chunked
/// application/json, one {"type":...,"object":...} per line, flushed per event.
/// 1. validate the parameters (sendInitialEvents needs resourceVersionMatch=NotOlderThan and bookmarks);
/// 2. subscribe: replay history after resourceVersion, or send the current objects as ADDED
///    (no resourceVersion, "0", or sendInitialEvents, which then ends with the
///    k8s.io/initial-events-end BOOKMARK); a compacted resourceVersion gets an ERROR 410 event;
/// 3. stream changes that pass the namespace and selectors (a MODIFIED that stops or starts
///    matching becomes DELETED or ADDED), with a BOOKMARK when idle, until timeoutSeconds.
/// </summary>
internal sealed class WatchResponder(FakeKubeApiServer server, FakeResource resource, string? ns, HttpContext context)
{
    private static readonly byte[] CutFragment = """{"type":"MODIFIED","object":{"kind":"Cut","apiVersion":"v1","metadata":{"name":"""u8.ToArray();

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private LabelSelector _labels = LabelSelector.Everything;
    private FieldSelector _fields = FieldSelector.Parse(null);

    public async Task RunAsync()
    {
        var query = context.Request.Query;
        var allowBookmarks = query["allowWatchBookmarks"] is ["true" or "1"];
        var sendInitialEvents = query["sendInitialEvents"] is ["true" or "1"];
        var match = query["resourceVersionMatch"].ToString();
        if (sendInitialEvents)
        {
            if (!server.SupportsWatchList)
            {
                throw FakeApiException.Invalid("ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled");
            }

            if (match != "NotOlderThan")
            {
                throw FakeApiException.Invalid("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
            }

            if (!allowBookmarks)
            {
                throw FakeApiException.Invalid("ListOptions.meta.k8s.io \"\" is invalid: allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true");
            }
        }
        else if (match.Length > 0)
        {
            throw FakeApiException.Invalid("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
        }

        long? from = null;
        var rv = query["resourceVersion"].ToString();
        if (rv.Length > 0 && rv != "0")
        {
            from = long.TryParse(rv, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw FakeApiException.BadRequest($"invalid resource version \"{rv}\"");
        }

        try
        {
            _labels = LabelSelector.Parse(query["labelSelector"]);
            _fields = FieldSelector.Parse(query["fieldSelector"]);
        }
        catch (FormatException e)
        {
            throw FakeApiException.BadRequest(e.Message);
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        var opened = server.Store.Subscribe(resource, from, sendInitialEvents);
        if (opened is not { } watch)
        {
            // The watch cache answers an expired version inside a 200 stream, not with an HTTP 410.
            WriteError(410, "Expired", $"too old resource version: {from} ({server.Store.CompactedThrough})");
            await FlushAsync();
            return;
        }

        try
        {
            await response.StartAsync(context.RequestAborted);
            foreach (var first in watch.First)
            {
                WriteChange(first);
            }

            if (sendInitialEvents)
            {
                WriteBookmark(watch.ResourceVersion, initialEventsEnd: true);
            }

            await FlushAsync();
            await StreamAsync(watch.Subscription, allowBookmarks);
        }
        catch (OperationCanceledException)
        {
            // Client gone or server stopping.
        }
        finally
        {
            server.Store.Unsubscribe(watch.Subscription);
        }
    }

    private async Task StreamAsync(WatchSubscription subscription, bool allowBookmarks)
    {
        var aborted = context.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (int.TryParse(context.Request.Query["timeoutSeconds"], CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        var reader = subscription.Events.Reader;
        while (!deadline.IsCancellationRequested)
        {
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token))
            {
                tick.CancelAfter(server.BookmarkInterval);
                try
                {
                    await reader.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    if (allowBookmarks && !subscription.Stalled)
                    {
                        server.Store.QueueBookmark(subscription);
                    }

                    continue;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            while (reader.TryRead(out var change))
            {
                if (subscription.Stalled)
                {
                    // A dead path: nothing more reaches the client, not even the end of the response.
                    await Task.Delay(Timeout.Infinite, aborted);
                }

                switch (change.Type)
                {
                    case StoreEvent.Cut:
                        await FlushAsync();
                        await context.Response.Body.WriteAsync(CutFragment, aborted);
                        await context.Response.Body.FlushAsync(aborted);
                        if (!subscription.CutCleanly)
                        {
                            context.Abort();
                        }

                        return;
                    case StoreEvent.Bookmark:
                        if (allowBookmarks)
                        {
                            WriteBookmark(change.ResourceVersion, initialEventsEnd: false);
                        }

                        break;
                    default:
                        WriteChange(change);
                        break;
                }
            }

            await FlushAsync();
        }
    }

    private bool Passes(JsonObject? obj) =>
        obj is not null
        && (ns is null || obj["metadata"]?["namespace"]?.GetValue<string>() == ns)
        && _labels.Matches(obj)
        && _fields.Matches(obj);

    private void WriteChange(StoreEvent change)
    {
        var now = Passes(change.Object);
        switch (change.Type)
        {
            case "MODIFIED":
                var before = Passes(change.OldObject);
                if (now && before)
                {
                    WriteEvent("MODIFIED", change.Object!);
                }
                else if (now)
                {
                    WriteEvent("ADDED", change.Object!);
                }
                else if (before)
                {
                    // It left the selection: the client sees it deleted, at this resourceVersion.
                    var gone = (JsonObject)change.OldObject!.DeepClone();
                    gone["metadata"]!["resourceVersion"] = change.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                    WriteEvent("DELETED", gone, stored: false);
                }

                break;
            default:
                if (now)
                {
                    WriteEvent(change.Type, change.Object!);
                }

                break;
        }
    }

    /// <param name="stored">Whether <paramref name="obj"/> is a committed (never again changed) object whose bytes can be cached.</param>
    private void WriteEvent(string type, JsonObject obj, bool stored = true, bool versioned = true)
    {
        using var writer = new Utf8JsonWriter(_buffer);
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WritePropertyName("object");
        if (stored)
        {
            FakeApiHandler.WriteObject(writer, obj, resource);
        }
        else
        {
            (versioned ? FakeApiHandler.Versioned(obj, resource) : obj).WriteTo(writer);
        }

        writer.WriteEndObject();
        writer.Flush();
        _buffer.Write("\n"u8);
    }

    private void WriteBookmark(long resourceVersion, bool initialEventsEnd)
    {
        // A bookmark object is a skeleton: kind, apiVersion and metadata.resourceVersion only.
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        WriteEvent("BOOKMARK", new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.GroupVersion, ["metadata"] = metadata }, stored: false);
    }

    private void WriteError(int code, string reason, string message) =>
        // A Status is v1 whatever the watched resource (as the recording shows).
        WriteEvent("ERROR", FakeApiHandler.FailureStatus(code, reason, message), stored: false, versioned: false);

    private async Task FlushAsync()
    {
        if (_buffer.WrittenCount > 0)
        {
            await context.Response.Body.WriteAsync(_buffer.WrittenMemory, context.RequestAborted);
            _buffer.ResetWrittenCount();
        }

        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
