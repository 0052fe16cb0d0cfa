"""Run-failure notifications, configured from the environment, off by default.

* Webhook: set ``CADENA_ALERT_WEBHOOK_URL`` (a Slack- or Teams-style incoming
  webhook, or any endpoint taking ``{"text": ...}``) and the sensor
  ``alert_on_run_failure`` posts one line per failed run: job, run id and the
  first error.
* E-mail: set ``CADENA_ALERT_EMAIL_TO`` (comma-separated), ``CADENA_ALERT_EMAIL_FROM``,
  ``CADENA_SMTP_HOST`` and ``CADENA_SMTP_PASSWORD`` (optionally ``CADENA_SMTP_PORT``,
  ``CADENA_SMTP_USER``, ``CADENA_SMTP_TYPE`` = SSL or STARTTLS) and Dagster's
  e-mail sensor ``email_on_run_failure`` is added.
"""

from collections.abc import Mapping

import httpx
from dagster import (
    DefaultSensorStatus,
    RunFailureSensorContext,
    SensorDefinition,
    SkipReason,
    make_email_on_run_failure_sensor,
    run_failure_sensor,
)

from ingestors.core import config

WEBHOOK_ENV = "CADENA_ALERT_WEBHOOK_URL"


def failure_message(job_name: str, run_id: str, error: str | None) -> str:
    lines = (error or "").strip().splitlines()
    first = lines[0] if lines else "no error message"
    return f"Cadena: run {run_id[:8]} of job {job_name} failed: {first}"


def send_alert(url: str, text: str, *, transport: httpx.BaseTransport | None = None) -> int:
    """POST ``{"text": text}`` to ``url``; returns the HTTP status."""
    with httpx.Client(timeout=10.0, transport=transport) as client:
        return client.post(url, json={"text": text}).status_code


@run_failure_sensor(
    name="alert_on_run_failure",
    default_status=DefaultSensorStatus.RUNNING if config.secret(WEBHOOK_ENV) else DefaultSensorStatus.STOPPED,
    description=f"Posts failed runs to the webhook in {WEBHOOK_ENV} (off unless it is set).",
)
def alert_on_run_failure(context: RunFailureSensorContext):
    url = config.secret(WEBHOOK_ENV)
    if not url:
        return SkipReason(f"{WEBHOOK_ENV} is not set")
    error = context.failure_event.message if context.failure_event else None
    status = send_alert(url, failure_message(context.dagster_run.job_name, context.dagster_run.run_id, error))
    context.log.info(f"alert sent, HTTP {status}")
    return None


EMAIL_REQUIRED = ("CADENA_ALERT_EMAIL_TO", "CADENA_ALERT_EMAIL_FROM", "CADENA_SMTP_HOST", "CADENA_SMTP_PASSWORD")


def email_sensor(environ: Mapping[str, str]) -> SensorDefinition | None:
    """Dagster's e-mail-on-failure sensor when the e-mail variables are all set, else None."""
    if not all(environ.get(k) for k in EMAIL_REQUIRED):
        return None
    port = environ.get("CADENA_SMTP_PORT")
    return make_email_on_run_failure_sensor(
        email_from=environ["CADENA_ALERT_EMAIL_FROM"],
        email_password=environ["CADENA_SMTP_PASSWORD"],
        email_to=[a.strip() for a in environ["CADENA_ALERT_EMAIL_TO"].split(",") if a.strip()],
        smtp_host=environ["CADENA_SMTP_HOST"],
        smtp_type=environ.get("CADENA_SMTP_TYPE", "SSL"),
        smtp_port=int(port) if port else None,
        smtp_user=environ.get("CADENA_SMTP_USER") or None,
        name="email_on_run_failure",
        default_status=DefaultSensorStatus.RUNNING,
    )
