using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using NationalId.Security;

namespace NationalId.Silo.Hosting;

/// <summary>
/// The only console formats the silo writes: one line of text ("redacted") or one JSON object ("redacted-json",
/// chosen by Logging:Console:FormatterName=json), both passed through <see cref="LogRedactor"/> — message, state
/// values and exception text alike.
/// </summary>
public sealed class RedactingConsoleFormatter(bool json) : ConsoleFormatter(json ? JsonName : TextName)
{
    public const string TextName = "redacted";
    public const string JsonName = "redacted-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? string.Empty;
        var exception = logEntry.Exception?.ToString();
        if (!json)
        {
            textWriter.Write(LogRedactor.Redact(
                $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {logEntry.LogLevel,-11} {logEntry.Category}[{logEntry.EventId.Id}] {message}"
                + (exception is null ? string.Empty : " " + exception.ReplaceLineEndings(" | "))));
            textWriter.Write(Environment.NewLine);
            return;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("time", DateTimeOffset.UtcNow);
            writer.WriteString("level", logEntry.LogLevel.ToString());
            writer.WriteString("category", logEntry.Category);
            writer.WriteNumber("eventId", logEntry.EventId.Id);
            writer.WriteString("message", LogRedactor.Redact(message));
            if (exception is not null)
            {
                writer.WriteString("exception", LogRedactor.Redact(exception));
            }

            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                writer.WriteStartObject("state");
                foreach (var (key, value) in values)
                {
                    if (key != "{OriginalFormat}")
                    {
                        writer.WriteString(key, LogRedactor.Redact(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        textWriter.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        textWriter.Write(Environment.NewLine);
    }
}

public static class RedactedLogging
{
    /// <summary>Console logging through <see cref="RedactingConsoleFormatter"/> only, whatever format is configured.</summary>
    public static ILoggingBuilder AddRedactedConsole(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddConsole();
        logging.Services.AddSingleton<ConsoleFormatter>(new RedactingConsoleFormatter(json: false));
        logging.Services.AddSingleton<ConsoleFormatter>(new RedactingConsoleFormatter(json: true));
        logging.Services.PostConfigure<ConsoleLoggerOptions>(o =>
            o.FormatterName = o.FormatterName is "json" or RedactingConsoleFormatter.JsonName ? RedactingConsoleFormatter.JsonName : RedactingConsoleFormatter.TextName);
        return logging;
    }
}
