using System.Text.Json;
using CcmPlatform.CarePlans.Data;
using CcmPlatform.CarePlans.Domain;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Messaging;
using CcmPlatform.Terminology;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.CarePlans.Consumers;

public sealed class PracticeCreatedConsumer(CarePlansDbContext db, TimeProvider clock) : InboxConsumer<CarePlansDbContext, PracticeCreated>(db, clock)
{
    protected override async Task Handle(PracticeCreated m, ConsumeContext<PracticeCreated> context)
    {
        var practice = await Db.Practices.FindAsync([m.PracticeId], context.CancellationToken);
        if (practice is null)
        {
            Db.Practices.Add(practice = new PracticeView { Id = m.PracticeId });
        }

        practice.TimeZone = m.TimeZone;
    }
}

public sealed class PatientRegisteredConsumer(CarePlansDbContext db, TimeProvider clock) : InboxConsumer<CarePlansDbContext, PatientRegistered>(db, clock)
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

/// <summary>Keeps the patient's qualifying problems, used when a plan is created without a problem list.</summary>
public sealed class ConditionsChangedConsumer(CarePlansDbContext db, TimeProvider clock) : InboxConsumer<CarePlansDbContext, ConditionsChanged>(db, clock)
{
    protected override async Task Handle(ConditionsChanged m, ConsumeContext<ConditionsChanged> context)
    {
        var patient = await Db.Patients.FindAsync([m.PatientId], context.CancellationToken);
        if (patient is null)
        {
            Db.Patients.Add(patient = new PatientView { Id = m.PatientId, PracticeId = m.PracticeId });
        }

        // Patients sends the map's "not-chronic" text for acute findings Synthea leaves active; they are not plan problems.
        var problems = m.Conditions
            .Where(c => c.Active && !string.IsNullOrWhiteSpace(c.Icd10Code) && ChronicGroups.NamesAGroup(c.ChronicGroup))
            .Select(c => new PlanProblem(c.Icd10Code, c.Display))
            .ToList();
        patient.ConditionsJson = JsonSerializer.Serialize(problems, JsonSerializerOptions.Web);
    }
}

public sealed class BillingPractitionerAssignedConsumer(CarePlansDbContext db, TimeProvider clock) : InboxConsumer<CarePlansDbContext, BillingPractitionerAssigned>(db, clock)
{
    protected override async Task Handle(BillingPractitionerAssigned m, ConsumeContext<BillingPractitionerAssigned> context)
    {
        if (await Db.BillingAssignments.AnyAsync(a => a.Id == m.AssignmentId, context.CancellationToken))
        {
            return;
        }

        Db.BillingAssignments.Add(new BillingAssignment { Id = m.AssignmentId, PatientId = m.PatientId, PracticeId = m.PracticeId, PractitionerId = m.PractitionerId, EffectiveFrom = m.EffectiveFrom });
    }
}

public sealed class RosterMemberRegisteredConsumer(CarePlansDbContext db, TimeProvider clock) : InboxConsumer<CarePlansDbContext, RosterMemberRegistered>(db, clock)
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
