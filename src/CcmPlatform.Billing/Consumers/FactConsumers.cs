using CcmPlatform.Billing.Closing;
using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Consumers;

// Each consumer stores Billing's copy of one fact under the owning service's id (the natural key), so the same
// fact under a new MessageId changes nothing, then marks the patient-months it can change.

public abstract class FactConsumer<T>(BillingDbContext db, TimeProvider clock) : InboxConsumer<BillingDbContext, T>(db, clock)
    where T : class
{
    protected DateTime Now => Clock.GetUtcNow().UtcDateTime;

    protected Task MarkFrom(Guid practiceId, Guid patientId, DateTime fromUtc, CancellationToken ct)
        => PatientMonthMarks.FromAsync(Db, practiceId, patientId, fromUtc, Now, ct);
}

public sealed class PracticeCreatedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<PracticeCreated>(db, clock)
{
    protected override async Task Handle(PracticeCreated m, ConsumeContext<PracticeCreated> context)
    {
        var p = await Db.Practices.FindAsync([m.PracticeId], context.CancellationToken);
        if (p is null) Db.Practices.Add(p = new PracticeFact { PracticeId = m.PracticeId });
        p.Name = m.Name;
        p.TimeZone = m.TimeZone;
        p.WaivesCoinsurance = m.WaivesCoinsurance;
    }
}

public sealed class RosterMemberRegisteredConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<RosterMemberRegistered>(db, clock)
{
    protected override async Task Handle(RosterMemberRegistered m, ConsumeContext<RosterMemberRegistered> context)
    {
        var r = await Db.Roster.FindAsync([m.RosterId], context.CancellationToken);
        if (r is null) Db.Roster.Add(r = new RosterFact { RosterId = m.RosterId });
        r.PracticeId = m.PracticeId;
        r.DisplayName = m.DisplayName;
        r.Kind = m.Kind.ToString();
        r.Credential = m.Credential;
        r.Npi = m.Npi;
        r.PractitionerType = m.PractitionerType;
        r.ActiveFrom = m.ActiveFrom;
        r.QpYears = string.Join(',', m.QualifyingApmParticipantYears.Select(d => d.Year).Distinct().Order());
    }
}

public sealed class PatientRegisteredConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<PatientRegistered>(db, clock)
{
    protected override async Task Handle(PatientRegistered m, ConsumeContext<PatientRegistered> context)
    {
        var p = await Db.Patients.FindAsync([m.PatientId], context.CancellationToken);
        if (p is null) Db.Patients.Add(p = new PatientFact { PatientId = m.PatientId, RecordedAt = m.RecordedAt });
        else if (p.BirthDate == m.BirthDate && p.GivenName == m.GivenName && p.FamilyName == m.FamilyName && p.PracticeId == m.PracticeId) return;
        // A name change alone changes no ledger or outcome, so it marks nothing (and flags no closed month for re-close).
        var changesLedger = p.BirthDate != m.BirthDate || p.PracticeId != m.PracticeId;
        p.PracticeId = m.PracticeId;
        p.GivenName = m.GivenName;
        p.FamilyName = m.FamilyName;
        p.BirthDate = m.BirthDate;
        if (!changesLedger) return;
        // Entries may have arrived before the registration and been projected without the patient: recompute them.
        var tracked = await Db.PatientMonths.AsNoTracking().Where(x => x.PatientId == m.PatientId).Select(x => new { x.Year, x.Month }).ToListAsync(context.CancellationToken);
        await PatientMonthMarks.MonthsAsync(Db, m.PracticeId, m.PatientId, tracked.Select(x => new ServiceMonth(x.Year, x.Month)), Now, context.CancellationToken);
    }
}

public sealed class ConditionsChangedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<ConditionsChanged>(db, clock)
{
    protected override async Task Handle(ConditionsChanged m, ConsumeContext<ConditionsChanged> context)
    {
        // Only active conditions with an ICD-10-CM code and a chronic group qualify (R-ELIG-2 screening output);
        // "not-chronic" is the map's word for none, and counting it as a group would make one condition look like two.
        var snapshot = string.Join(';', m.Conditions
            .Where(c => c.Active && !string.IsNullOrWhiteSpace(c.Icd10Code) && Terminology.ChronicGroups.NamesAGroup(c.ChronicGroup))
            .Select(c => $"{c.Icd10Code}|{c.ChronicGroup}").Distinct().Order(StringComparer.Ordinal));
        var p = await Db.Patients.FindAsync([m.PatientId], context.CancellationToken);
        if (p is null) Db.Patients.Add(p = new PatientFact { PatientId = m.PatientId, PracticeId = m.PracticeId, RecordedAt = m.RecordedAt });
        else if (p.Conditions == snapshot) return;
        p.Conditions = snapshot;
        await MarkFrom(m.PracticeId, m.PatientId, m.RecordedAt, context.CancellationToken);
    }
}

public sealed class CoverageRecordedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<CoverageRecorded>(db, clock)
{
    protected override async Task Handle(CoverageRecorded m, ConsumeContext<CoverageRecorded> context)
    {
        if (await Db.Coverages.AnyAsync(x => x.CoverageId == m.CoverageId, context.CancellationToken)) return;
        Db.Coverages.Add(new CoverageFact
        {
            CoverageId = m.CoverageId, PatientId = m.PatientId, Payer = m.Payer, Mbi = m.Mbi, PartBStart = m.PartBStart,
            PartBEnd = m.PartBEnd, Qmb = m.Qmb, OccurredAt = m.OccurredAt, RecordedAt = m.RecordedAt,
        });
        await PatientMonthMarks.FromMonthAsync(Db, m.PracticeId, m.PatientId, new(m.PartBStart.Year, m.PartBStart.Month), Now, context.CancellationToken);
    }
}

public sealed class BillingPractitionerAssignedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<BillingPractitionerAssigned>(db, clock)
{
    protected override async Task Handle(BillingPractitionerAssigned m, ConsumeContext<BillingPractitionerAssigned> context)
    {
        if (await Db.Assignments.AnyAsync(x => x.AssignmentId == m.AssignmentId, context.CancellationToken)) return;
        Db.Assignments.Add(new AssignmentFact
        {
            AssignmentId = m.AssignmentId, PatientId = m.PatientId, PractitionerId = m.PractitionerId,
            EffectiveFrom = m.EffectiveFrom, OccurredAt = m.OccurredAt, RecordedAt = m.RecordedAt,
        });
        await MarkFrom(m.PracticeId, m.PatientId, m.EffectiveFrom, context.CancellationToken);
    }
}

public sealed class ConsentRecordedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<ConsentRecorded>(db, clock)
{
    protected override async Task Handle(ConsentRecorded m, ConsumeContext<ConsentRecorded> context)
    {
        if (await Db.Consents.AnyAsync(x => x.ConsentId == m.ConsentId, context.CancellationToken)) return;
        Db.Consents.Add(new ConsentFact
        {
            ConsentId = m.ConsentId, PatientId = m.PatientId, Program = m.Program.ToString(), PractitionerId = m.PractitionerId,
            Method = m.Method, OccurredAt = m.OccurredAt, RecordedAt = m.RecordedAt,
        });
        await MarkFrom(m.PracticeId, m.PatientId, m.OccurredAt, context.CancellationToken);
    }
}

public sealed class ConsentDeclinedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<ConsentDeclined>(db, clock)
{
    protected override async Task Handle(ConsentDeclined m, ConsumeContext<ConsentDeclined> context)
    {
        if (await Db.Consents.AnyAsync(x => x.ConsentId == m.ConsentId, context.CancellationToken)) return;
        Db.Consents.Add(new ConsentFact
        {
            ConsentId = m.ConsentId, PatientId = m.PatientId, Program = m.Program.ToString(), Declined = true,
            OccurredAt = m.OccurredAt, RecordedAt = m.RecordedAt,
        });
        await MarkFrom(m.PracticeId, m.PatientId, m.OccurredAt, context.CancellationToken);
    }
}

public sealed class ConsentRevokedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<ConsentRevoked>(db, clock)
{
    protected override async Task Handle(ConsentRevoked m, ConsumeContext<ConsentRevoked> context)
    {
        if (await Db.ConsentRevocations.AnyAsync(x => x.ConsentId == m.ConsentId, context.CancellationToken)) return;
        Db.ConsentRevocations.Add(new ConsentRevocationFact
        {
            ConsentId = m.ConsentId, PatientId = m.PatientId, Program = m.Program.ToString(), OccurredAt = m.OccurredAt, RecordedAt = m.RecordedAt,
        });
        await MarkFrom(m.PracticeId, m.PatientId, m.OccurredAt, context.CancellationToken);
    }
}

public sealed class PatientEnrolledConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<PatientEnrolled>(db, clock)
{
    protected override async Task Handle(PatientEnrolled m, ConsumeContext<PatientEnrolled> context)
    {
        var program = m.Program.ToString();
        if (await Db.Enrollments.AnyAsync(x => x.PatientId == m.PatientId && x.Program == program && x.Enrolled && x.OccurredAt == m.OccurredAt, context.CancellationToken)) return;
        Db.Enrollments.Add(new EnrollmentFact { Id = Guid.NewGuid(), PatientId = m.PatientId, Program = program, Enrolled = true, OccurredAt = m.OccurredAt, RecordedAt = m.RecordedAt });
        await MarkFrom(m.PracticeId, m.PatientId, m.OccurredAt, context.CancellationToken);
    }
}

public sealed class PatientDisenrolledConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<PatientDisenrolled>(db, clock)
{
    protected override async Task Handle(PatientDisenrolled m, ConsumeContext<PatientDisenrolled> context)
    {
        var program = m.Program.ToString();
        if (await Db.Enrollments.AnyAsync(x => x.PatientId == m.PatientId && x.Program == program && !x.Enrolled && x.OccurredAt == m.OccurredAt, context.CancellationToken)) return;
        Db.Enrollments.Add(new EnrollmentFact { Id = Guid.NewGuid(), PatientId = m.PatientId, Program = program, Enrolled = false, Reason = m.Reason, OccurredAt = m.OccurredAt, RecordedAt = m.RecordedAt });
        await MarkFrom(m.PracticeId, m.PatientId, m.OccurredAt, context.CancellationToken);
    }
}

public sealed class InitiatingVisitRecordedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<InitiatingVisitRecorded>(db, clock)
{
    protected override async Task Handle(InitiatingVisitRecorded m, ConsumeContext<InitiatingVisitRecorded> context)
    {
        var v = await Db.Visits.FindAsync([m.VisitId], context.CancellationToken);
        if (v is { Initiating: true }) return;
        if (v is null) Db.Visits.Add(v = new VisitFact { VisitId = m.VisitId, PatientId = m.PatientId });
        v.Code = m.Code;
        v.Practitioner = m.PractitionerId.ToString();
        v.Initiating = true;
        v.WithG0506 = m.WithG0506;
        v.StartedAt = m.StartedAt;
        v.EndedAt = m.EndedAt;
        v.RecordedAt = m.RecordedAt;
        await MarkFrom(m.PracticeId, m.PatientId, m.StartedAt, context.CancellationToken);
    }
}

public sealed class VisitHistoryRecordedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<VisitHistoryRecorded>(db, clock)
{
    protected override async Task Handle(VisitHistoryRecorded m, ConsumeContext<VisitHistoryRecorded> context)
    {
        if (await Db.Visits.AnyAsync(x => x.VisitId == m.VisitId, context.CancellationToken)) return;
        Db.Visits.Add(new VisitFact { VisitId = m.VisitId, PatientId = m.PatientId, Code = m.Code, Practitioner = m.PractitionerExternalId, StartedAt = m.StartedAt });
        await MarkFrom(m.PracticeId, m.PatientId, m.StartedAt, context.CancellationToken);
    }
}

public sealed class InpatientStayRecordedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<InpatientStayRecorded>(db, clock)
{
    protected override async Task Handle(InpatientStayRecorded m, ConsumeContext<InpatientStayRecorded> context)
    {
        var s = await Db.InpatientStays.FindAsync([m.StayId], context.CancellationToken);
        // A stay may be recorded open, then again with its discharge: the later fact completes it.
        if (s is not null && s.DischargedAt == m.DischargedAt && s.AdmittedAt == m.AdmittedAt) return;
        if (s is null) Db.InpatientStays.Add(s = new InpatientStayFact { StayId = m.StayId, PatientId = m.PatientId });
        s.Facility = m.Facility;
        s.AdmittedAt = m.AdmittedAt;
        s.DischargedAt = m.DischargedAt;
        s.RecordedAt = m.RecordedAt;
        await MarkFrom(m.PracticeId, m.PatientId, m.AdmittedAt, context.CancellationToken);
    }
}

public sealed class PatientDiedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<PatientDied>(db, clock)
{
    protected override async Task Handle(PatientDied m, ConsumeContext<PatientDied> context)
    {
        var p = await Db.Patients.FindAsync([m.PatientId], context.CancellationToken);
        if (p is null) Db.Patients.Add(p = new PatientFact { PatientId = m.PatientId, PracticeId = m.PracticeId, RecordedAt = m.RecordedAt });
        else if (p.DiedAt == m.DiedAt && p.DeathDate == m.DeathDate) return;
        p.DiedAt = m.DiedAt;
        p.DeathDate = m.DeathDate;
        var from = m.DiedAt ?? (m.DeathDate is { } d ? d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : m.RecordedAt);
        await MarkFrom(m.PracticeId, m.PatientId, from, context.CancellationToken);
    }
}

public sealed class CarePlanActivatedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<CarePlanActivated>(db, clock)
{
    protected override async Task Handle(CarePlanActivated m, ConsumeContext<CarePlanActivated> context)
    {
        if (await Db.CarePlanVersions.AnyAsync(x => x.CarePlanId == m.CarePlanId && x.Version == m.Version, context.CancellationToken)) return;
        Db.CarePlanVersions.Add(new CarePlanVersionFact
        {
            CarePlanId = m.CarePlanId, Version = m.Version, PatientId = m.PatientId, SignedBy = m.SignedBy, SignedAt = m.SignedAt,
            FirstActivation = m.FirstActivation, RecordedAt = m.RecordedAt,
        });
        await MarkFrom(m.PracticeId, m.PatientId, m.SignedAt, context.CancellationToken);
    }
}

public sealed class CarePlanSharedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<CarePlanShared>(db, clock)
{
    protected override async Task Handle(CarePlanShared m, ConsumeContext<CarePlanShared> context)
    {
        if (await Db.CarePlanShares.AnyAsync(x => x.CarePlanId == m.CarePlanId && x.Version == m.Version && x.SharedAt == m.SharedAt, context.CancellationToken)) return;
        Db.CarePlanShares.Add(new CarePlanShareFact
        {
            Id = Guid.NewGuid(), CarePlanId = m.CarePlanId, Version = m.Version, PatientId = m.PatientId, Method = m.Method,
            SharedAt = m.SharedAt, RecordedAt = m.RecordedAt,
        });
        await MarkFrom(m.PracticeId, m.PatientId, m.SharedAt, context.CancellationToken);
    }
}

public sealed class CarePlanRevisedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<CarePlanRevised>(db, clock)
{
    protected override async Task Handle(CarePlanRevised m, ConsumeContext<CarePlanRevised> context)
    {
        if (await Db.CarePlanRevisions.AnyAsync(x => x.CarePlanId == m.CarePlanId && x.Version == m.Version, context.CancellationToken)) return;
        Db.CarePlanRevisions.Add(new CarePlanRevisionFact
        {
            CarePlanId = m.CarePlanId, Version = m.Version, PatientId = m.PatientId, RevisedBy = m.RevisedBy, OccurredAt = m.OccurredAt, RecordedAt = m.RecordedAt,
        });
        await MarkFrom(m.PracticeId, m.PatientId, m.OccurredAt, context.CancellationToken);
    }
}

public sealed class ComplexityAssessedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<ComplexityAssessed>(db, clock)
{
    protected override async Task Handle(ComplexityAssessed m, ConsumeContext<ComplexityAssessed> context)
    {
        if (await Db.Complexities.AnyAsync(x => x.AssessmentId == m.AssessmentId, context.CancellationToken)) return;
        Db.Complexities.Add(new ComplexityFact
        {
            AssessmentId = m.AssessmentId, PatientId = m.PatientId, Level = m.Level.ToString(), PractitionerId = m.PractitionerId,
            OccurredAt = m.OccurredAt, RecordedAt = m.RecordedAt,
        });
        await MarkFrom(m.PracticeId, m.PatientId, m.OccurredAt, context.CancellationToken);
    }
}

public sealed class TimeEntryRecordedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<TimeEntryRecorded>(db, clock)
{
    protected override async Task Handle(TimeEntryRecorded m, ConsumeContext<TimeEntryRecorded> context)
    {
        var ct = context.CancellationToken;
        var e = await Db.TimeEntries.FindAsync([m.EntryId], ct);
        // A tombstone (its void came first, on another queue) is completed and stays voided; anything else is this fact again.
        if (e is not null && !FactsLoader.IsTombstone(e)) return;
        if (e is null) Db.TimeEntries.Add(e = new TimeEntryFact { EntryId = m.EntryId });
        e.PatientId = m.PatientId;
        e.PracticeId = m.PracticeId;
        e.StaffId = m.StaffId;
        e.StaffKind = m.StaffKind.ToString();
        e.Program = m.Program.ToString();
        e.StartedAt = m.StartedAt;
        e.Minutes = m.Minutes;
        e.ActivityType = m.ActivityType;
        e.ConditionsAddressed = string.Join(';', m.ConditionsAddressed);
        e.RecordedAt = m.RecordedAt;
        var zone = await PatientMonthMarks.TimeZoneOfAsync(Db, m.PracticeId, ct);
        await PatientMonthMarks.MonthsAsync(Db, m.PracticeId, m.PatientId, FactsLoader.MonthsOf(m.StartedAt, m.Minutes, zone), Now, ct);
    }
}

public sealed class TimeEntryVoidedConsumer(BillingDbContext db, TimeProvider clock) : FactConsumer<TimeEntryVoided>(db, clock)
{
    protected override async Task Handle(TimeEntryVoided m, ConsumeContext<TimeEntryVoided> context)
    {
        var ct = context.CancellationToken;
        var e = await Db.TimeEntries.FindAsync([m.EntryId], ct);
        if (e is null)
        {
            // The void overtook its entry (separate queues): keep it as a tombstone under the entry's id, so the entry is
            // stored voided when it arrives. No month to mark yet: the entry's own arrival marks its months.
            Db.TimeEntries.Add(new TimeEntryFact
            {
                EntryId = m.EntryId, PatientId = m.PatientId, PracticeId = m.PracticeId, StaffKind = "", Program = "",
                StartedAt = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), RecordedAt = m.RecordedAt,
                VoidedAt = m.RecordedAt, VoidReason = m.Reason,
            });
            return;
        }
        if (e.VoidedAt is not null) return;
        e.VoidedAt = m.RecordedAt;
        e.VoidReason = m.Reason;
        var zone = await PatientMonthMarks.TimeZoneOfAsync(Db, m.PracticeId, ct);
        await PatientMonthMarks.MonthsAsync(Db, m.PracticeId, m.PatientId, FactsLoader.MonthsOf(e.StartedAt, e.Minutes, zone), Now, ct);
    }
}
