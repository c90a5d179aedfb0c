namespace CcmPlatform.Patients.Domain;

/// <summary>
/// Import assigns a billing practitioner deterministically, so re-importing the same patient (or
/// importing on another replica) always picks the same one: practitioners ordered by NPI, index =
/// FNV-1a of the Synthea patient id modulo their count.
/// </summary>
public static class BillingPractitionerChoice
{
    /// <summary>Assignments made by import start here so that past months are covered too.</summary>
    public static readonly DateTime ImportEffectiveFrom = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static uint Fnv1a(string value)
    {
        const uint offset = 2166136261;
        const uint prime = 16777619;
        var hash = offset;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(value))
        {
            hash ^= b;
            hash *= prime;
        }

        return hash;
    }

    public static T Choose<T>(string syntheaPatientId, IReadOnlyList<T> practitionersOrderedByNpi)
    {
        if (practitionersOrderedByNpi.Count == 0)
        {
            throw new ArgumentException("At least one practitioner is needed.", nameof(practitionersOrderedByNpi));
        }

        return practitionersOrderedByNpi[(int)(Fnv1a(syntheaPatientId) % (uint)practitionersOrderedByNpi.Count)];
    }
}
