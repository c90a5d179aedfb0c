using System.Text.Json;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Messaging;
using CcmPlatform.Scheduling.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Consumers;

// Each consumer keys on the fact's natural id, so the same fact under a new MessageId changes nothing.

public sealed class PracticeCreatedConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, PracticeCreated>(db, clock)
{
    protected override async Task Handle(PracticeCreated m, ConsumeContext<PracticeCreated> context)
    {
        var practice = await Db.Practices.FindAsync([m.PracticeId], context.CancellationToken);
        if (practice is null)
        {
            Db.Practices.Add(practice = new PracticeView { Id = m.PracticeId });
        }

        practice.Name = m.Name;
        practice.TimeZone = m.TimeZone;
    }
}

public sealed class RosterMemberRegisteredConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, RosterMemberRegistered>(db, clock)
{
    protected override async Task Handle(RosterMemberRegistered m, ConsumeContext<RosterMemberRegistered> context)
    {
        var period = await Db.Roster.FindAsync([m.RosterId, m.ActiveFrom], context.CancellationToken);
        if (period is null)
        {
            Db.Roster.Add(period = new RosterPeriod { RosterId = m.RosterId, ActiveFrom = m.ActiveFrom });
        }

        period.PracticeId = m.PracticeId;
        period.DisplayName = m.DisplayName;
        period.Kind = m.Kind;
        period.Credential = m.Credential;
    }
}

public sealed class PatientRegisteredConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, PatientRegistered>(db, clock)
{
    protected override async Task Handle(PatientRegistered m, ConsumeContext<PatientRegistered> context)
    {
        var patient = await Db.Patients.FindAsync([m.PatientId], context.CancellationToken);
        if (patient is null)
        {
            Db.Patients.Add(patient = new PatientView { Id = m.PatientId });
        }

        patient.PracticeId = m.PracticeId;
        patient.Name = $"{m.GivenName} {m.FamilyName}".Trim();
    }
}

public sealed class ConsentRecordedConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, ConsentRecorded>(db, clock)
{
    protected override async Task Handle(ConsentRecorded m, ConsumeContext<ConsentRecorded> context)
    {
        if (await Db.Consents.AnyAsync(c => c.Id == m.ConsentId, context.CancellationToken))
        {
            return;
        }

        Db.Consents.Add(new ConsentView { Id = m.ConsentId, PatientId = m.PatientId, Program = m.Program, PractitionerId = m.PractitionerId, OccurredAt = m.OccurredAt });
    }
}

public sealed class ConsentRevokedConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, ConsentRevoked>(db, clock)
{
    protected override async Task Handle(ConsentRevoked m, ConsumeContext<ConsentRevoked> context)
    {
        var consent = await Db.Consents.FindAsync([m.ConsentId], context.CancellationToken);
        if (consent is null)
        {
            // The revocation overtook its consent; keep it so R-CONS-3 still holds.
            Db.Consents.Add(consent = new ConsentView { Id = m.ConsentId, PatientId = m.PatientId, Program = m.Program, OccurredAt = m.OccurredAt });
        }

        consent.RevokedAt ??= m.OccurredAt;
    }
}

public sealed class PatientDiedConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, PatientDied>(db, clock)
{
    protected override async Task Handle(PatientDied m, ConsumeContext<PatientDied> context)
    {
        var patient = await Db.Patients.FindAsync([m.PatientId], context.CancellationToken);
        if (patient is null)
        {
            Db.Patients.Add(patient = new PatientView { Id = m.PatientId, PracticeId = m.PracticeId });
        }

        patient.DiedAt = m.DiedAt;
        patient.DeathDate = m.DeathDate;
    }
}

public sealed class LedgerUpdatedConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, LedgerUpdated>(db, clock)
{
    public static readonly JsonSerializerOptions ReasonsJson = new(JsonSerializerDefaults.Web);

    protected override async Task Handle(LedgerUpdated m, ConsumeContext<LedgerUpdated> context)
    {
        var ledger = await Db.Ledgers.FindAsync([m.PatientId, m.Year, m.Month], context.CancellationToken);
        if (ledger is null)
        {
            Db.Ledgers.Add(ledger = new PatientMonthLedger { PatientId = m.PatientId, Year = m.Year, Month = m.Month });
        }
        else if (ledger.RecordedAt > m.RecordedAt)
        {
            // An older ledger arriving late must not overwrite a newer one.
            return;
        }

        ledger.PracticeId = m.PracticeId;
        ledger.CountableMinutes = m.CountableMinutes;
        ledger.NotCountableMinutes = m.NotCountableMinutes;
        ledger.MinutesToNextPaymentStep = m.MinutesToNextPaymentStep;
        ledger.BestPaymentCents = m.BestPaymentCents;
        ledger.ReasonsJson = m.Reasons is null ? null : JsonSerializer.Serialize(m.Reasons, ReasonsJson);
        ledger.RecordedAt = m.RecordedAt;
    }
}

public sealed class PatientEnrolledConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, PatientEnrolled>(db, clock)
{
    protected override async Task Handle(PatientEnrolled m, ConsumeContext<PatientEnrolled> context)
    {
        var enrollment = await Db.Enrollments.FindAsync([m.PatientId, m.Program], context.CancellationToken);
        if (enrollment is null)
        {
            Db.Enrollments.Add(new EnrollmentView { PatientId = m.PatientId, Program = m.Program, PracticeId = m.PracticeId, EnrolledAt = m.OccurredAt });
            return;
        }

        // A re-enrollment after a disenrollment opens a new period; an older enrollment arriving late changes nothing.
        if (enrollment.DisenrolledAt is { } ended && m.OccurredAt >= ended)
        {
            enrollment.EnrolledAt = m.OccurredAt;
            enrollment.DisenrolledAt = null;
        }
    }
}

public sealed class PatientDisenrolledConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, PatientDisenrolled>(db, clock)
{
    protected override async Task Handle(PatientDisenrolled m, ConsumeContext<PatientDisenrolled> context)
    {
        var enrollment = await Db.Enrollments.FindAsync([m.PatientId, m.Program], context.CancellationToken);
        if (enrollment is null)
        {
            Db.Enrollments.Add(new EnrollmentView { PatientId = m.PatientId, Program = m.Program, PracticeId = m.PracticeId, EnrolledAt = m.OccurredAt, DisenrolledAt = m.OccurredAt });
            return;
        }

        if (m.OccurredAt >= enrollment.EnrolledAt)
        {
            enrollment.DisenrolledAt = m.OccurredAt;
        }
    }
}

public sealed class InteractionDetectedConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, InteractionDetected>(db, clock)
{
    protected override async Task Handle(InteractionDetected m, ConsumeContext<InteractionDetected> context)
    {
        var alert = await Db.MedicationAlerts.FindAsync([m.AlertId], context.CancellationToken);
        if (alert is null)
        {
            Db.MedicationAlerts.Add(alert = new MedicationAlertView { AlertId = m.AlertId });
        }

        alert.PatientId = m.PatientId;
        alert.PracticeId = m.PracticeId;
        alert.RuleId = m.RuleId;
        alert.Severity = m.Severity;
        alert.RaisedAt = m.RecordedAt;
    }
}

public sealed class InteractionAlertClosedConsumer(SchedulingDbContext db, TimeProvider clock) : InboxConsumer<SchedulingDbContext, InteractionAlertClosed>(db, clock)
{
    protected override async Task Handle(InteractionAlertClosed m, ConsumeContext<InteractionAlertClosed> context)
    {
        var alert = await Db.MedicationAlerts.FindAsync([m.AlertId], context.CancellationToken);
        if (alert is null)
        {
            // The close overtook its detection: keep the row closed so the late detection cannot reopen it.
            Db.MedicationAlerts.Add(alert = new MedicationAlertView { AlertId = m.AlertId, PatientId = m.PatientId, PracticeId = m.PracticeId, RaisedAt = m.RecordedAt });
        }

        alert.ClosedAt ??= m.RecordedAt;
    }
}
