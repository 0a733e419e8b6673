import os
import stat
import subprocess
import sys


def test_setup_generates_keys_once_owner_readable_and_warns(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GOVCREDIT_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["GOVCREDIT_DATA_DIR"] = str(tmp_path)
    cmd = [sys.executable, "-m", "govcredit.cli", "setup"]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stderr
    assert "已生成密钥" in first.stderr
    keys = tmp_path / "keys.env"
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    content = keys.read_text()
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    assert second.returncode == 0 and "已生成密钥" not in second.stderr
    assert keys.read_text() == content
    verify = subprocess.run(
        [sys.executable, "-m", "govcredit.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verify.returncode == 0 and "intact" in verify.stdout


def test_serve_refuses_to_start_without_keys(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GOVCREDIT_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["GOVCREDIT_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "govcredit.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "缺少密钥" in result.stderr
