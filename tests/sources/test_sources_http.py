import pytest
from conftest import Route

from ess_geo.errors import EssGeoError, SourceUnavailableError
from ess_geo.sources._http import USER_AGENT, atomic_output, download

BODY = bytes(range(256)) * 40  # 10 240 bytes


def test_download_streams_the_whole_body_with_our_user_agent(source_server, tmp_path):
    url = source_server.serve("/f.bin", BODY)
    dest = tmp_path / "f.bin"
    size = download(url, dest, source="Essai", max_bytes=1_000_000)
    assert size == len(BODY)
    assert dest.read_bytes() == BODY
    assert source_server.requests[0]["User-Agent"] == USER_AGENT


def test_offline_raises_a_french_message_naming_source_and_url(offline_url, tmp_path):
    with pytest.raises(SourceUnavailableError) as info:
        download(offline_url, tmp_path / "f", source="Essai", max_bytes=10)
    message = str(info.value)
    assert isinstance(info.value, EssGeoError)
    assert message.startswith(f"Source « Essai » indisponible ({offline_url}) :")
    assert "connexion impossible, hors ligne ?" in message
    assert "les données embarquées restent utilisées" in message


def test_http_404_suggests_passing_the_new_address(source_server, tmp_path):
    url = source_server.serve("/gone.zip", Route(b"<html>non</html>", status=404))
    with pytest.raises(SourceUnavailableError, match="HTTP 404") as info:
        download(url, tmp_path / "f", source="Essai", max_bytes=1000)
    assert "--url" in str(info.value)


def test_server_that_does_not_answer_times_out(source_server, tmp_path):
    url = source_server.serve("/slow", Route(BODY, delay=2.0))
    with pytest.raises(SourceUnavailableError, match=r"pas de réponse en 0\.3 s"):
        download(url, tmp_path / "f", source="Essai", max_bytes=10**6, timeout=0.3)


def test_announced_size_above_the_limit_is_refused_before_reading(
    source_server, tmp_path
):
    url = source_server.serve("/big", BODY)
    with pytest.raises(SourceUnavailableError, match="au-delà de la limite"):
        download(url, tmp_path / "f", source="Essai", max_bytes=len(BODY) - 1)


def test_unannounced_body_growing_past_the_limit_is_cut(source_server, tmp_path):
    url = source_server.serve("/big", Route(BODY * 300, length=False))
    with pytest.raises(SourceUnavailableError, match="reçus, au-delà de la limite"):
        download(url, tmp_path / "f", source="Essai", max_bytes=2_000_000)


def test_connection_cut_mid_way_is_reported_as_incomplete(source_server, tmp_path):
    url = source_server.serve("/cut", Route(BODY, truncate=1000))
    with pytest.raises(SourceUnavailableError, match=r"incomplet|interrompu"):
        download(url, tmp_path / "f", source="Essai", max_bytes=10**6)


def test_resume_asks_only_for_the_missing_bytes(source_server, tmp_path):
    url = source_server.serve("/f.bin", BODY)
    dest = tmp_path / "f.bin.part"
    dest.write_bytes(BODY[:4000])
    (tmp_path / "f.bin.part.validator").write_text('"v1"')
    assert download(url, dest, source="Essai", max_bytes=10**6, resume=True) == len(
        BODY
    )
    assert dest.read_bytes() == BODY
    assert source_server.requests[0]["Range"] == "bytes=4000-"
    assert source_server.requests[0]["If-Range"] == '"v1"'
    assert not (tmp_path / "f.bin.part.validator").exists()


def test_resume_starts_over_when_the_file_changed_on_the_server(
    source_server, tmp_path
):
    url = source_server.serve("/f.bin", Route(BODY, etag='"v2"'))
    dest = tmp_path / "f.bin.part"
    dest.write_bytes(b"old version, must not be kept")
    (tmp_path / "f.bin.part.validator").write_text('"v1"')
    download(url, dest, source="Essai", max_bytes=10**6, resume=True)
    assert dest.read_bytes() == BODY


def test_interrupted_resumable_download_keeps_its_part_and_validator(
    source_server, tmp_path
):
    url = source_server.serve("/cut", Route(BODY, truncate=3000, etag='"v7"'))
    dest = tmp_path / "f.part"
    with pytest.raises(SourceUnavailableError):
        download(url, dest, source="Essai", max_bytes=10**6, resume=True)
    assert dest.read_bytes() == BODY[:3000]
    assert (tmp_path / "f.part.validator").read_text() == '"v7"'


def test_atomic_output_replaces_the_target_only_on_success(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("ancien\n")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_text("nouveau, à moitié")
        raise RuntimeError("échec au milieu")
    assert target.read_text() == "ancien\n"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_output(target) as tmp:
        tmp.write_text("nouveau\n")
    assert target.read_text() == "nouveau\n"
    assert list(tmp_path.iterdir()) == [target]
