namespace DnsMcs.Kubernetes.Client;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}
