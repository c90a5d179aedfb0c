using System.Security.Claims;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Scheduling.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Apis;

public sealed record AppointmentRequest(
    Guid PatientId,
    [property: System.ComponentModel.Description("When it takes place (UTC): not before 2015-01-01 and at most 2 years ahead.")] DateTime ScheduledAt,
    [property: System.ComponentModel.Description("What the appointment is for; default MonthlyCheckIn. Any other name is refused (400).")] AppointmentKind? Kind,
    Guid? StaffId);

public sealed record CompleteAppointmentRequest(
    string? Outcome,
    [property: System.ComponentModel.Description("When it took place (UTC); defaults to now; not in the future, not before 2015-01-01.")] DateTime? OccurredAt);

public sealed record AppointmentResponse(Guid Id, Guid PatientId, Guid? StaffId, string Kind, DateTime ScheduledAt, string? Outcome, DateTime? CompletedAt)
{
    public static AppointmentResponse From(Appointment a) => new(a.Id, a.PatientId, a.StaffId, a.Kind, a.ScheduledAt, a.Outcome, a.CompletedAt);
}

public sealed record TaskRequest(
    Guid? PatientId,
    string? Title,
    Guid AssigneeId,
    [property: System.ComponentModel.Description("Not before 2015-01-01 and at most 2 years ahead.")] DateOnly DueDate);

public sealed record TaskResponse(Guid Id, Guid? PatientId, string Title, Guid AssigneeId, DateOnly DueDate, DateTime? CompletedAt, Guid CreatedBy)
{
    public static TaskResponse From(CareTask t) => new(t.Id, t.PatientId, t.Title, t.AssigneeId, t.DueDate, t.CompletedAt, t.CreatedBy);
}

/// <summary>Monthly check-ins and care-team tasks: deliberately small.</summary>
public static class AppointmentsApi
{
    /// <summary>
    /// Check-ins are booked weeks or months out and tasks fall due within the care-plan year; two years ahead leaves
    /// room for an annual cycle booked early, while 2205 or 9999 is a mistyped year (DATE_OUT_OF_RANGE).
    /// </summary>
    public const int ForwardYears = 2;

    public static RouteGroupBuilder MapAppointmentsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/appointments", CreateAppointmentAsync).RequireAuthorization(Policies.Clinical).WithSummary("Schedule an appointment (e.g. the monthly check-in).")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The patient is not known to Scheduling, or belongs to another practice.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "scheduledAt is missing, or it is before 2015-01-01 or more than 2 years ahead (DATE_OUT_OF_RANGE).");
        api.MapPost("/appointments/{appointmentId:guid}/complete", CompleteAppointmentAsync).RequireAuthorization(Policies.Clinical).WithSummary("Record an appointment's outcome.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The appointment is already completed.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "outcome is missing, occurredAt is in the future, or occurredAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapGet("/appointments/{appointmentId:guid}", GetAppointmentAsync).RequireAuthorization(Policies.Read).WithSummary("One appointment, with its outcome once completed: the Location a scheduled appointment answers with.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The appointment does not exist, or belongs to another practice.");
        api.MapGet("/patients/{patientId:guid}/appointments", ListAppointmentsAsync).RequireAuthorization(Policies.Read).WithSummary("A patient's appointments.");
        api.MapPost("/tasks", CreateTaskAsync).RequireAuthorization(Policies.Clinical).WithSummary("Create a care-team task with an assignee and due date.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The patient is not known, or the patient or assignee belongs to another practice.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "title or dueDate is missing, the assignee is not on the roster, or dueDate is before 2015-01-01 or more than 2 years ahead (DATE_OUT_OF_RANGE).");
        api.MapPost("/tasks/{taskId:guid}/complete", CompleteTaskAsync).RequireAuthorization(Policies.Clinical).WithSummary("Complete a task.");
        api.MapGet("/tasks", ListTasksAsync).RequireAuthorization(Policies.Read).WithSummary("Care-team tasks.");
        api.MapGet("/tasks/{taskId:guid}", GetTaskAsync).RequireAuthorization(Policies.Read).WithSummary("One care-team task, open or completed: the Location a created task answers with.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The task does not exist, or belongs to another practice.");
        return api;
    }

    private static async Task<Results<Created<AppointmentResponse>, ProblemHttpResult>> CreateAppointmentAsync(AppointmentRequest request, ClaimsPrincipal user, SchedulingDbContext db, IPracticeDirectory practices, TimeProvider clock, CancellationToken ct)
    {
        if (await PracticeScope.RefuseAsync(user, practices, "patientId", request.PatientId, ct) is { } outOfScope)
        {
            return outOfScope;
        }

        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PatientId, ct);
        if (patient is null)
        {
            return ApiProblems.NotFound("patientId", $"Patient {request.PatientId} is not known to Scheduling.");
        }

        if (request.StaffId is { } staffId && await PracticeScope.RefuseMemberAsync(practices, "staffId", staffId, patient.PracticeId, ct) is { } otherStaff)
        {
            return otherStaff;
        }

        if (request.ScheduledAt == default)
        {
            return ApiProblems.Unprocessable("scheduledAt", "REQUIRED", "scheduledAt is required.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var scheduledAt = Domain.TimeRules.AsUtc(request.ScheduledAt);
        PlausibleDates.NotBeforeCcm(scheduledAt, "scheduledAt");
        PlausibleDates.NotMoreYearsAhead(scheduledAt, now, ForwardYears, "scheduledAt");
        var appointment = new Appointment
        {
            Id = Guid.CreateVersion7(now),
            PracticeId = patient.PracticeId,
            PatientId = patient.Id,
            StaffId = request.StaffId,
            Kind = (request.Kind ?? AppointmentKind.MonthlyCheckIn).ToString(),
            ScheduledAt = scheduledAt,
            RecordedAt = now,
        };
        db.Appointments.Add(appointment);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/scheduling/appointments/{appointment.Id}", AppointmentResponse.From(appointment));
    }

    private static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> CompleteAppointmentAsync(Guid appointmentId, CompleteAppointmentRequest request, SchedulingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == appointmentId, ct);
        if (appointment is null)
        {
            return ApiProblems.NotFound("appointmentId", $"Appointment {appointmentId} does not exist.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // Only an absent occurredAt means now: 0001-01-01T00:00:00Z is a sent date, refused below like any before 2015.
        var occurredAt = request.OccurredAt is { } sent ? Domain.TimeRules.AsUtc(sent) : now;
        if (occurredAt > now)
        {
            return ApiProblems.Unprocessable("occurredAt", "R-FACT-1", "occurredAt is in the future.");
        }

        PlausibleDates.NotBeforeCcm(occurredAt, "occurredAt");
        if (string.IsNullOrWhiteSpace(request.Outcome))
        {
            return ApiProblems.Unprocessable("outcome", "REQUIRED", "outcome is required.");
        }

        if (appointment.CompletedAt is not null)
        {
            return ApiProblems.Conflict("appointmentId", "ALREADY_COMPLETED", "The appointment is already completed.");
        }

        appointment.Outcome = request.Outcome.Trim();
        appointment.CompletedAt = occurredAt;
        db.Outbox(new AppointmentCompleted(appointment.PracticeId, appointment.PatientId, appointment.Id, appointment.Outcome, occurredAt, now), now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AppointmentResponse.From(appointment));
    }

    private static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> GetAppointmentAsync(Guid appointmentId, SchedulingDbContext db, CancellationToken ct)
    {
        var appointment = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == appointmentId, ct);
        return appointment is null ? ApiProblems.NotFound("appointmentId", $"Appointment {appointmentId} does not exist.") : TypedResults.Ok(AppointmentResponse.From(appointment));
    }

    private static async Task<Ok<List<AppointmentResponse>>> ListAppointmentsAsync(Guid patientId, SchedulingDbContext db, CancellationToken ct)
        => TypedResults.Ok((await db.Appointments.AsNoTracking().Where(a => a.PatientId == patientId).OrderBy(a => a.ScheduledAt).ToListAsync(ct)).Select(AppointmentResponse.From).ToList());

    private static async Task<Results<Created<TaskResponse>, ProblemHttpResult>> CreateTaskAsync(TaskRequest request, ClaimsPrincipal user, SchedulingDbContext db, IPracticeDirectory practices, TimeProvider clock, CancellationToken ct)
    {
        if (await PracticeScope.RefuseAsync(user, practices, "assigneeId", request.AssigneeId, ct) is { } otherAssignee)
        {
            return otherAssignee;
        }

        if (request.PatientId is { } patientId && await PracticeScope.RefuseAsync(user, practices, "patientId", patientId, ct) is { } otherPatient)
        {
            return otherPatient;
        }

        // A task about a patient no service knows would never reach a worklist row; appointments refuse one the same way.
        if (request.PatientId is { } named && !await db.Patients.AsNoTracking().AnyAsync(p => p.Id == named, ct))
        {
            return ApiProblems.NotFound("patientId", $"Patient {named} is not known to Scheduling.");
        }

        if (string.IsNullOrWhiteSpace(request.Title))
        {
            return ApiProblems.Unprocessable("title", "REQUIRED", "title is required.");
        }

        var assignee = await db.Roster.AsNoTracking().FirstOrDefaultAsync(r => r.RosterId == request.AssigneeId, ct);
        if (assignee is null)
        {
            return ApiProblems.Unprocessable("assigneeId", "R-TIME-3", $"Roster member {request.AssigneeId} is not known.");
        }

        // The task belongs to the assignee's practice, so a patient named with it must be of that practice too (admins included).
        if (request.PatientId is { } taskPatient && await practices.PracticeOfAsync("patientId", taskPatient, ct) is { } patientPractice && patientPractice != assignee.PracticeId)
        {
            return PracticeScope.OutOfScope("assigneeId", request.AssigneeId);
        }

        if (request.DueDate == default)
        {
            return ApiProblems.Unprocessable("dueDate", "REQUIRED", "dueDate is required.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        PlausibleDates.NotBeforeCcm(request.DueDate, "dueDate");
        PlausibleDates.NotMoreYearsAhead(request.DueDate, DateOnly.FromDateTime(now), ForwardYears, "dueDate");
        var task = new CareTask { Id = Guid.CreateVersion7(now), PracticeId = assignee.PracticeId, PatientId = request.PatientId, Title = request.Title.Trim(), AssigneeId = request.AssigneeId, DueDate = request.DueDate, CreatedBy = user.RosterId(), RecordedAt = now };
        db.Tasks.Add(task);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/scheduling/tasks/{task.Id}", TaskResponse.From(task));
    }

    private static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> CompleteTaskAsync(Guid taskId, SchedulingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null)
        {
            return ApiProblems.NotFound("taskId", $"Task {taskId} does not exist.");
        }

        task.CompletedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TaskResponse.From(task));
    }

    private static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> GetTaskAsync(Guid taskId, SchedulingDbContext db, CancellationToken ct)
    {
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        return task is null ? ApiProblems.NotFound("taskId", $"Task {taskId} does not exist.") : TypedResults.Ok(TaskResponse.From(task));
    }

    private static async Task<Results<Ok<List<TaskResponse>>, ProblemHttpResult>> ListTasksAsync(Guid? assigneeId, ClaimsPrincipal user, SchedulingDbContext db, IPracticeDirectory practices, CancellationToken ct)
    {
        if (assigneeId is { } other && await PracticeScope.RefuseAsync(user, practices, "assigneeId", other, ct) is { } outOfScope)
        {
            return outOfScope;
        }

        var who = assigneeId ?? user.RosterId();
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.AssigneeId == who && t.CompletedAt == null).OrderBy(t => t.DueDate).ToListAsync(ct);
        return TypedResults.Ok(tasks.Select(TaskResponse.From).ToList());
    }
}
