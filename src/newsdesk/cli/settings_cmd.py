"""``newsdesk config``: every setting, its value and its help text."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("config", help="Show every setting, its current value and what it does.")(
        show_config
    )


def show_config(
    fmt: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    from newsdesk.cli.common import out, print_json
    from newsdesk.config import Settings, default_config_file, get_settings

    settings = get_settings()
    rows = []
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        if name in {"secret_key", "smtp_password"} and value:
            value = "***"
        rows.append(
            {
                "name": name,
                "env": f"NEWSDESK_{name.upper()}",
                "value": value,
                "help": field.description,
            }
        )
    if fmt == "json":
        print_json(
            {
                "config_file": str(default_config_file()),
                "database": settings.effective_database_url,
                "settings": rows,
            }
        )
        return
    from rich.table import Table

    table = Table("setting", "value", "what it does")
    for row in rows:
        table.add_row(row["env"], str(row["value"]), row["help"] or "")
    out.print(f"config file: {default_config_file()}")
    out.print(f"database: {settings.effective_database_url}")
    out.print(table)
