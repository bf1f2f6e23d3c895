"""A full name under a job title is a person, even when the small model calls it a place."""

from __future__ import annotations

from newsdesk.understand import understand

TEXT = (
    "Harbour wall repairs begin in Port Calloway\n\n"
    "Organisers expect about 3,000 visitors over the two evenings, and harbour master "
    "Ines Okafor agreed to close the inner basin to boats.\n\n"
    "The work will take four months, the council in Port Calloway said on Monday. "
    "Okafor said the basin would reopen in March."
)


def test_titled_full_name_is_a_person_and_the_place_stays_a_place():
    found = {e.name: e for e in understand(TEXT).entities}
    assert found["Ines Okafor"].kind == "person"
    assert "harbour master" in found["Ines Okafor"].roles
    assert found["Port Calloway"].kind == "place"
