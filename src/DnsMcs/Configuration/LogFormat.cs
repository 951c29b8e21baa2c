namespace DnsMcs.Configuration;

internal enum LogFormat
{
    Text,
    Json,
}
