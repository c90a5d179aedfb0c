using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CcmPlatform.Patients.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EnrollmentHistorySequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Sequence",
                table: "EnrollmentStateChange",
                type: "int",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "EnrollmentStateChange");
        }
    }
}
