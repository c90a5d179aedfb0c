using CcmPlatform.Contracts;
using CcmPlatform.Scheduling;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Scheduling.Tests;

public sealed record Seeded(Guid PracticeId, Guid PatientId, Guid StaffId);

/// <summary>Read-model rows written straight to the service's database, as the consumers would.</summary>
public static class SchedulingSeed
{
    public static async Task<Seeded> PracticeAsync(ServiceFactory<Program, SchedulingDbContext> factory, RosterKind kind = RosterKind.ClinicalStaff, Seeded? reuse = null)
    {
        var seeded = reuse ?? new Seeded(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await factory.WithDb(async db =>
        {
            db.Practices.Add(new PracticeView { Id = seeded.PracticeId, Name = "Test practice", TimeZone = "America/New_York" });
            db.Roster.Add(new RosterPeriod { RosterId = seeded.StaffId, PracticeId = seeded.PracticeId, ActiveFrom = new DateOnly(2020, 1, 1), Kind = kind, Credential = "RN", DisplayName = "Nurse" });
            db.Patients.Add(new PatientView { Id = seeded.PatientId, PracticeId = seeded.PracticeId, Name = "Pat Test" });
            return await db.SaveChangesAsync();
        });
        return seeded;
    }

    /// <summary>Another roster member of the practice (non-admin tokens resolve their practice from it; clinical writes need it).</summary>
    public static async Task<Guid> EnrolAsync(ServiceFactory<Program, SchedulingDbContext> factory, Guid practiceId, RosterKind kind = RosterKind.ClinicalStaff, DateOnly? activeFrom = null)
    {
        var id = Guid.NewGuid();
        await factory.WithDb(async db =>
        {
            db.Roster.Add(new RosterPeriod { RosterId = id, PracticeId = practiceId, ActiveFrom = activeFrom ?? new DateOnly(2020, 1, 1), Kind = kind, Credential = "RN", DisplayName = "Staff" });
            return await db.SaveChangesAsync();
        });
        return id;
    }

    public static async Task<Guid> AnotherPatientAsync(ServiceFactory<Program, SchedulingDbContext> factory, Guid practiceId)
    {
        var id = Guid.NewGuid();
        await factory.WithDb(async db =>
        {
            db.Patients.Add(new PatientView { Id = id, PracticeId = practiceId, Name = "Other Patient" });
            return await db.SaveChangesAsync();
        });
        return id;
    }

    public static object Entry(Guid patientId, DateTime startedAt, int minutes, params string[] conditions) => new
    {
        patientId,
        program = "Ccm",
        startedAt,
        minutes,
        activityType = "CareCoordination",
        note = "called pharmacy",
        conditionsAddressed = conditions,
    };
}
