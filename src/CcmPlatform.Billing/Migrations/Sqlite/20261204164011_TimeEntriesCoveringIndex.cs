using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CcmPlatform.Billing.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TimeEntriesCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TimeEntries_PracticeId_StartedAt",
                table: "TimeEntries");

            migrationBuilder.CreateIndex(
                name: "IX_TimeEntries_PracticeId_StartedAt_PatientId",
                table: "TimeEntries",
                columns: new[] { "PracticeId", "StartedAt", "PatientId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TimeEntries_PracticeId_StartedAt_PatientId",
                table: "TimeEntries");

            migrationBuilder.CreateIndex(
                name: "IX_TimeEntries_PracticeId_StartedAt",
                table: "TimeEntries",
                columns: new[] { "PracticeId", "StartedAt" });
        }
    }
}
