namespace CcmPlatform.Contracts;

/// <summary>Billing's view of one patient-month, so read models (the worklist) never disagree with claims.</summary>
public sealed record LedgerUpdated(
    Guid PracticeId,
    Guid PatientId,
    int Year,
    int Month,
    int CountableMinutes,
    int NotCountableMinutes,
    int? MinutesToNextPaymentStep,
    long BestPaymentCents,
    DateTime RecordedAt,
    IReadOnlyList<LedgerReasonItem>? Reasons = null) : IIntegrationEvent;

/// <summary>
/// Why minutes do not count or no payment is possible yet (NO_INITIATING_VISIT, NO_CONSENT, MINUTES_BEFORE_CONSENT…).
/// Null on LedgerUpdated from before reasons existed: consumers treat it as "not known", not as "none".
/// </summary>
public sealed record LedgerReasonItem(string Code, string Text);

public sealed record MonthClosed(Guid PracticeId, int Year, int Month, Guid CloseId, int Claims, int Holds, int NotBillable, long TotalCents, DateTime RecordedAt) : IIntegrationEvent;

public sealed record ClaimCreated(Guid PracticeId, Guid PatientId, Guid ClaimId, int Year, int Month, IReadOnlyList<string> Codes, long TotalCents, DateTime RecordedAt) : IIntegrationEvent;

public sealed record ClaimVoided(Guid PracticeId, Guid PatientId, Guid ClaimId, string Reason, DateTime RecordedAt) : IIntegrationEvent;

public sealed record ClaimHeld(Guid PracticeId, Guid PatientId, int Year, int Month, IReadOnlyList<string> Reasons, DateTime RecordedAt) : IIntegrationEvent;
