using CcmPlatform.Infrastructure.Http;

namespace CcmPlatform.Patients.Apis;

/// <summary>R-FACT-1 for every fact this service records: the client says when it happened, never in the future.</summary>
public static class Facts
{
    /// <summary>Client clocks drift; a minute of tolerance keeps "just now" from being refused.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    public static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        // No offset given: the API's instants are UTC (api-sketch.md).
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    public static DateTime Required(DateTime? value, string field)
        => value is { } v ? Utc(v) : throw RuleViolationException.BadRequest(field, "REQUIRED", $"{field} is required.");

    /// <summary>A client-supplied instant of a fact: required, UTC, not in the future (422 R-FACT-1).</summary>
    public static DateTime OccurredAt(DateTime? value, DateTime now, string field = "occurredAt")
    {
        var v = Required(value, field);
        NotFuture(v, now, field);
        return v;
    }

    public static void NotFuture(DateTime valueUtc, DateTime now, string field)
    {
        if (valueUtc > now + Skew)
        {
            throw RuleViolationException.Unprocessable(field, "R-FACT-1", $"{field} {valueUtc:O} is in the future; facts are recorded when they have happened.");
        }
    }

    /// <summary>
    /// For dates that may lie ahead (coverage start, an effective date, a screening date): more than a year ahead is
    /// far more likely a mistyped year than a plan, and it would sit unnoticed until then.
    /// </summary>
    public static void NotFarFuture(DateTime valueUtc, DateTime now, string field) => PlausibleDates.NotMoreYearsAhead(valueUtc, now, 1, field);

    public static void NotFarFuture(DateOnly value, DateTime now, string field) => PlausibleDates.NotMoreYearsAhead(value, DateOnly.FromDateTime(now), 1, field);

    public static string Text(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw RuleViolationException.BadRequest(field, "REQUIRED", $"{field} is required.");
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            throw RuleViolationException.BadRequest(field, "TOO_LONG", $"{field} is longer than {maxLength} characters.");
        }

        return trimmed;
    }
}
