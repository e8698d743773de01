"""deploy/kubernetes/ mirrors the tested one-server hub (deploy/jupyterhub/jupyterhub_config.py).

Kubernetes cannot run on the course's machines, so the Zero to JupyterHub values, the course service's
manifests and the image are checked against the configuration the hub tests run: the same groups and
roles, authenticator, spawn limit, culling, servers' environment and student-only configuration, an
exchange on a ReadWriteMany volume mounted where nbgrader looks for it, and the course service.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

KUBERNETES = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((KUBERNETES / "values.yaml").read_text())


@pytest.fixture(scope="module")
def manifests() -> dict[tuple[str, str], dict]:
    documents = yaml.safe_load_all((KUBERNETES / "course.yaml").read_text())
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in documents if doc}


@pytest.fixture
def tested(hub_config):
    """The one-server configuration with an empty class list (the chart's lists start empty too)."""
    return hub_config()


def test_same_roles_groups_and_authenticator(values, tested):
    roles = {role["name"]: role for role in tested.JupyterHub.load_roles}
    chart_roles = values["hub"]["loadRoles"]
    assert set(chart_roles) == set(roles) - {"jupyterhub-idle-culler"}  # the chart makes the culler's role
    for name, role in chart_roles.items():
        assert role["scopes"] == roles[name]["scopes"], name
        for members in ("groups", "services", "users"):
            assert role.get(members, []) == roles[name].get(members, []), (name, members)
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["load_groups"] == tested.JupyterHub.load_groups
    assert hub["JupyterHub"]["authenticator_class"] == tested.JupyterHub.authenticator_class
    assert hub["Authenticator"]["username_pattern"] == tested.Authenticator.username_pattern
    assert hub["Authenticator"]["allow_existing_users"] is tested.Authenticator.allow_existing_users
    assert set(hub["Authenticator"]["blocked_users"]) == set(tested.Authenticator.blocked_users)
    assert values["hub"]["concurrentSpawnLimit"] == tested.JupyterHub.concurrent_spawn_limit
    grader = tested.JupyterHub.services[0]["user"]
    assert f'== "{grader}"' in values["hub"]["extraConfig"]["dlwp-accounts"], "the chart must refuse the grader's login"


def test_same_culling(values, tested):
    culler = next(s for s in tested.JupyterHub.services if s["name"] == "jupyterhub-idle-culler")
    flags = dict(re.fullmatch(r"--([a-z-]+)=(\d+)", arg).groups() for arg in culler["command"] if arg.startswith("--"))
    cull = values["cull"]
    assert cull["enabled"] is True
    assert (cull["timeout"], cull["every"], cull["concurrency"]) == (
        int(flags["timeout"]), int(flags["cull-every"]), int(flags["concurrency"]))


def test_same_student_servers(values, tested):
    singleuser = values["singleuser"]
    env = tested.Spawner.environment
    for name in ("NBGRADER_COURSE_ID", "NBGRADER_EXCHANGE", "OMP_NUM_THREADS"):
        assert singleuser["extraEnv"][name] == env[name], name
    assert singleuser["defaultUrl"] == tested.Spawner.default_url
    assert singleuser["startTimeout"] == tested.Spawner.start_timeout
    assert singleuser["cmd"] == Path(tested.Spawner.cmd[0]).name
    mounts = {m["name"]: m["mountPath"] for m in singleuser["storage"]["extraVolumeMounts"].values()}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"]
              for v in singleuser["storage"]["extraVolumes"].values()}
    assert mounts["exchange"] == env["NBGRADER_EXCHANGE"] and claims["exchange"] == "dlwp-exchange"


def test_exchange_is_shared_read_write_by_every_pod(manifests, values):
    claim = manifests[("PersistentVolumeClaim", "dlwp-exchange")]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    pod = manifests[("Deployment", "dlwp-course")]["spec"]["template"]["spec"]
    course = pod["containers"][0]
    env = {e["name"]: e.get("value") for e in course["env"]}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]}
    mounts = {m["name"]: m["mountPath"] for m in course["volumeMounts"]}
    assert claims["exchange"] == "dlwp-exchange" and mounts["exchange"] == env["NBGRADER_EXCHANGE"]
    assert env["NBGRADER_EXCHANGE"] == values["singleuser"]["extraEnv"]["NBGRADER_EXCHANGE"]


def test_course_service_is_the_tested_one(manifests, values, tested):
    service = next(s for s in tested.JupyterHub.services if s["name"] == "dlwp")
    chart = values["hub"]["services"]["dlwp"]
    assert chart["oauth_no_confirm"] is service["oauth_no_confirm"] is True
    pod = manifests[("Deployment", "dlwp-course")]["spec"]["template"]["spec"]
    course = pod["containers"][0]
    env = {e["name"]: e.get("value") for e in course["env"]}
    assert env["JUPYTERHUB_SERVICE_NAME"] == "dlwp" and env["JUPYTERHUB_USER"] == service["user"]
    assert env["NBGRADER_COURSE_ID"] == service["environment"]["NBGRADER_COURSE_ID"]
    assert course["command"][0] == Path(service["command"][0]).name
    port = manifests[("Service", "dlwp-course")]["spec"]["ports"][0]["port"]
    assert chart["url"] == f"http://dlwp-course:{port}"
    token = next(e for e in course["env"] if e["name"] == "JUPYTERHUB_API_TOKEN")
    assert token["valueFrom"]["secretKeyRef"] == {"name": "hub", "key": "hub.services.dlwp.apiToken"}


def test_image_holds_the_tested_server_configurations(values, manifests):
    dockerfile = (KUBERNETES / "Dockerfile").read_text()
    student_dir = values["singleuser"]["extraEnv"]["JUPYTER_CONFIG_PATH"]
    course_env = {e["name"]: e.get("value") for e in
                  manifests[("Deployment", "dlwp-course")]["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert f"deploy/jupyterhub/jupyter/student {student_dir}" in dockerfile
    assert f"deploy/jupyterhub/jupyter/course {course_env['JUPYTER_CONFIG_PATH']}" in dockerfile
    assert '"torch==2.13.0"' in dockerfile and "[hub]" in dockerfile
