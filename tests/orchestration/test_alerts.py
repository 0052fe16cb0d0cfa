import json

import httpx

from orchestration.alerts import failure_message, send_alert


def test_failure_message_is_one_line():
    text = failure_message("ingest_daily", "0123456789abcdef", "peeringdb: bad payload in snapshot x\nTraceback ...")
    assert text == "Cadena: run 01234567 of job ingest_daily failed: peeringdb: bad payload in snapshot x"


def test_send_alert_posts_json_text():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, str(request.url), json.loads(request.content)))
        return httpx.Response(200)

    status = send_alert("https://hooks.example.org/T1", "hello", transport=httpx.MockTransport(handler))
    assert status == 200
    assert seen == [("POST", "https://hooks.example.org/T1", {"text": "hello"})]


def test_email_alerts_are_off_until_configured():
    from orchestration.alerts import email_sensor

    assert email_sensor({}) is None
    assert email_sensor({"CADENA_ALERT_EMAIL_TO": "a@example.org"}) is None
    sensor = email_sensor({
        "CADENA_ALERT_EMAIL_TO": "a@example.org, b@example.org", "CADENA_ALERT_EMAIL_FROM": "cadena@example.org",
        "CADENA_SMTP_HOST": "smtp.example.org", "CADENA_SMTP_PASSWORD": "secret", "CADENA_SMTP_PORT": "465",
    })
    assert sensor is not None and sensor.name == "email_on_run_failure"
