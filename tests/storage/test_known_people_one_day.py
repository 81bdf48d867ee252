"""``PersonRepository.searching``: the decisions in force of a case whose stored column is of another day are read
once for all the searches made through it (Ny ärende's, one dialog's), and anew for a version of the case saved
since (a sync's pull while the dialog is open): the read kept is of the version read."""

from __future__ import annotations

from datetime import date, timedelta

from storage.repositories.cases import held_in


def test_a_case_saved_since_the_last_search_is_read_again(profile, demo) -> None:  # type: ignore[no-untyped-def]
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    case = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    tomorrow = date.today() + timedelta(days=1)  # each stored column is of today, a save's
    searching = profile.people.searching(tomorrow)

    def held() -> list[str]:
        found = searching.holder_of(next(p for p in people if p.id == case.person_id).personal_number)
        assert found is not None
        return [sv for c in found.cases if c.case_id == case.id for _id, sv, _en in held_in(c.in_force)]

    assert held() == ["hemtjänst – omvårdnad"]
    case.decisions[:] = [d.model_copy(update={"ends_on": date.today()}) for d in case.decisions]
    profile.cases.save(case)  # its decisions end today: none in force tomorrow
    assert held() == []
    assert held() == []
