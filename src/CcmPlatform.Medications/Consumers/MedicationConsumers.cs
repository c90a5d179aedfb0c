using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Messaging;
using CcmPlatform.Medications.Data;
using CcmPlatform.Medications.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Medications.Consumers;

public sealed class PatientRegisteredConsumer(MedicationsDbContext db, TimeProvider clock) : InboxConsumer<MedicationsDbContext, PatientRegistered>(db, clock)
{
    protected override async Task Handle(PatientRegistered m, ConsumeContext<PatientRegistered> context)
    {
        var patient = await Db.Patients.FindAsync([m.PatientId], context.CancellationToken);
        if (patient is null)
        {
            Db.Patients.Add(new PatientView { Id = m.PatientId, PracticeId = m.PracticeId });
        }
    }
}

/// <summary>Imported medication requests; idempotent by external id (and by code + date when the source has none).</summary>
public sealed class MedicationsImportedConsumer(MedicationsDbContext db, TimeProvider clock) : InboxConsumer<MedicationsDbContext, MedicationsImported>(db, clock)
{
    protected override async Task Handle(MedicationsImported m, ConsumeContext<MedicationsImported> context)
    {
        var ct = context.CancellationToken;
        var now = Clock.GetUtcNow().UtcDateTime;
        if (await Db.Patients.FindAsync([m.PatientId], ct) is null)
        {
            Db.Patients.Add(new PatientView { Id = m.PatientId, PracticeId = m.PracticeId });
        }

        var existing = await Db.Medications.Where(x => x.PatientId == m.PatientId && x.Source == MedicationSource.Import).ToListAsync(ct);
        var changed = false;
        foreach (var s in m.Medications)
        {
            var occurredAt = s.AuthoredOn is { } a ? DateTime.SpecifyKind(a.ToUniversalTime(), DateTimeKind.Utc) : m.RecordedAt;
            var known = s.ExternalId is not null
                ? existing.Any(x => x.ExternalId == s.ExternalId)
                : existing.Any(x => x.ExternalId == null && x.RxNormCode == s.RxNormCode && x.OccurredAt == occurredAt);
            if (known)
            {
                continue;
            }

            var entry = new MedicationEntry
            {
                Id = Guid.CreateVersion7(now),
                PatientId = m.PatientId,
                PracticeId = m.PracticeId,
                RxNormCode = s.RxNormCode,
                Display = s.Display,
                Status = string.Equals(s.Status, "active", StringComparison.OrdinalIgnoreCase) ? MedicationStatus.Active : MedicationStatus.Stopped,
                Source = MedicationSource.Import,
                ExternalId = s.ExternalId,
                OccurredAt = occurredAt,
                RecordedAt = now,
            };
            Db.Medications.Add(entry);
            existing.Add(entry);
            changed = true;
        }

        if (changed)
        {
            await MedicationList.StageRecheckAsync(Db, m.PatientId, m.PracticeId, now, ct);
        }
    }
}

public sealed class RosterMemberRegisteredConsumer(MedicationsDbContext db, TimeProvider clock) : InboxConsumer<MedicationsDbContext, RosterMemberRegistered>(db, clock)
{
    protected override async Task Handle(RosterMemberRegistered m, ConsumeContext<RosterMemberRegistered> context)
    {
        var member = await Db.Roster.FindAsync([m.RosterId], context.CancellationToken);
        if (member is null)
        {
            Db.Roster.Add(member = new RosterMemberView { RosterId = m.RosterId });
        }

        member.PracticeId = m.PracticeId;
        member.Kind = m.Kind;
    }
}
