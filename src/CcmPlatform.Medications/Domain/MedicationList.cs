using CcmPlatform.Contracts;
using CcmPlatform.Medications.Data;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Medications.Domain;

/// <summary>After any change to a patient's list: re-run the interaction check and stage the events. Saves nothing.</summary>
public static class MedicationList
{
    public static async Task StageRecheckAsync(MedicationsDbContext db, Guid patientId, Guid practiceId, DateTime now, CancellationToken ct)
    {
        await db.Medications.Where(m => m.PatientId == patientId).LoadAsync(ct);
        var active = db.Medications.Local.Where(m => m.PatientId == patientId && m.Status == MedicationStatus.Active).ToList();
        // First finding per key wins: a repeated key must never turn a list change into a failure.
        var findings = InteractionCatalog.Default.Check(active.Select(m => new ActiveMedication(m.RxNormCode, m.Display)))
            .DistinctBy(f => f.Key).ToDictionary(f => f.Key);

        var open = await db.Alerts.Where(a => a.PatientId == patientId && a.ResolvedAt == null).ToListAsync(ct);
        foreach (var alert in open.Where(a => !findings.ContainsKey(a.Key)))
        {
            alert.ResolvedAt = now;
            if (alert.AcknowledgedAt is null)
            {
                db.Outbox(new InteractionAlertClosed(practiceId, patientId, alert.Id, "Resolved", now), now);
            }
        }

        var openKeys = open.Select(a => a.Key).ToHashSet();
        foreach (var finding in findings.Values.Where(f => !openKeys.Contains(f.Key)))
        {
            var alert = new InteractionAlert { Id = Guid.CreateVersion7(now), PatientId = patientId, PracticeId = practiceId, Key = finding.Key, RuleId = finding.RuleId, Severity = finding.Severity, Summary = finding.Summary, RaisedAt = now };
            db.Alerts.Add(alert);
            db.Outbox(new InteractionDetected(practiceId, patientId, alert.Id, alert.RuleId, alert.Severity, alert.Summary, now), now);
        }

        db.Outbox(new MedicationListChanged(practiceId, patientId, active.Count, now), now);
    }
}
