namespace CcmPlatform.Contracts;

public sealed record CarePlanActivated(
    Guid PracticeId,
    Guid PatientId,
    Guid CarePlanId,
    int Version,
    Guid SignedBy,
    DateTime SignedAt,
    bool FirstActivation,
    DateTime RecordedAt) : IIntegrationEvent;

public sealed record CarePlanShared(Guid PracticeId, Guid PatientId, Guid CarePlanId, int Version, string Method, DateTime SharedAt, DateTime RecordedAt) : IIntegrationEvent;

public sealed record CarePlanRevised(Guid PracticeId, Guid PatientId, Guid CarePlanId, int Version, Guid RevisedBy, DateTime OccurredAt, DateTime RecordedAt) : IIntegrationEvent;

public sealed record ComplexityAssessed(Guid PracticeId, Guid PatientId, Guid AssessmentId, MdmLevel Level, Guid PractitionerId, DateTime OccurredAt, DateTime RecordedAt) : IIntegrationEvent;

public sealed record MedicationListChanged(Guid PracticeId, Guid PatientId, int ActiveCount, DateTime RecordedAt) : IIntegrationEvent;

public sealed record MedicationsReconciled(Guid PracticeId, Guid PatientId, Guid ReconciliationId, Guid ReconciledBy, DateTime OccurredAt, DateTime RecordedAt) : IIntegrationEvent;

public sealed record InteractionDetected(Guid PracticeId, Guid PatientId, Guid AlertId, string RuleId, string Severity, string Summary, DateTime RecordedAt) : IIntegrationEvent;

/// <summary>An interaction alert no longer needs attention: acknowledged with a reason, or resolved because the list changed.</summary>
public sealed record InteractionAlertClosed(Guid PracticeId, Guid PatientId, Guid AlertId, string How, DateTime RecordedAt) : IIntegrationEvent;
