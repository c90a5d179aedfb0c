namespace CcmPlatform.Patients.Domain;

public static class ConsentRules
{
    /// <summary>
    /// R-CONS-3: a revocation takes effect at the end of the calendar month in which it is made, in the
    /// practice's zone. Returns the first instant of the next local month, as UTC.
    /// </summary>
    public static DateTime RevocationEffectiveAt(DateTime revokedAtUtc, TimeZoneInfo practiceZone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(revokedAtUtc, practiceZone);
        var nextMonth = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
        return LocalToUtc(nextMonth, practiceZone);
    }

    /// <summary>Local midnight may fall in a DST gap (some zones switch at 00:00); the first valid instant after it is used.</summary>
    public static DateTime LocalToUtc(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>
    /// A consent covers an instant for a program and practitioner when it was given (not declined) at or
    /// before it and its revocation, if any, has not yet taken effect (R-CONS-1, R-CONS-2, R-CONS-3).
    /// </summary>
    public static bool Covers(bool declined, DateTime consentAt, DateTime? revocationEffectiveAt, DateTime instant)
        => !declined && consentAt <= instant && (revocationEffectiveAt is null || instant < revocationEffectiveAt);

    /// <summary>The four things the patient must be told before consenting (R-CONS-1), by request field name.</summary>
    public static IReadOnlyList<string> MissingDisclosures(bool costSharing, bool rightToStop, bool singlePractitioner, bool electronicSharing)
    {
        var missing = new List<string>();
        if (!costSharing)
        {
            missing.Add("informedCostSharing");
        }

        if (!rightToStop)
        {
            missing.Add("informedRightToStop");
        }

        if (!singlePractitioner)
        {
            missing.Add("informedSinglePractitioner");
        }

        if (!electronicSharing)
        {
            missing.Add("informedElectronicSharing");
        }

        return missing;
    }
}

public static class VisitCodes
{
    /// <summary>R-INIT-1: codes that may be an initiating visit.</summary>
    public static readonly IReadOnlySet<string> Initiating = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "99202", "99203", "99204", "99205", "99212", "99213", "99214", "99215", "G0438", "G0439", "G0402",
    };

    public const string G0506 = "G0506";
}
