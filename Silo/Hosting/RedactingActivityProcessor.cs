using System.Diagnostics;
using NationalId.Security;
using OpenTelemetry;

namespace NationalId.Silo.Hosting;

/// <summary>
/// Runs first on every finished span, before any exporter: its name and string tags pass the same redactor as log
/// lines (Orleans tags grain calls with the grain id, i.e. the citizen handle; ASP.NET Core tags the path).
/// </summary>
public sealed class RedactingActivityProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        data.DisplayName = LogRedactor.Redact(data.DisplayName);
        List<(string Key, string Value)>? changed = null;
        foreach (var (key, value) in data.TagObjects)
        {
            if (value is string text && LogRedactor.Redact(text) is var redacted && !ReferenceEquals(redacted, text) && redacted != text)
            {
                (changed ??= []).Add((key, redacted));
            }
        }

        foreach (var (key, value) in changed ?? [])
        {
            data.SetTag(key, value);
        }
    }
}
