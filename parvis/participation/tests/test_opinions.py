import io
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from sklearn.metrics import adjusted_rand_score

from parvis.participation.opinions import analyse_opinions


def planted_votes(
    groups,
    *,
    per_group=50,
    block=12,
    consensus=0,
    consensus_against=0,
    flip=0.1,
    missing=(0.3, 0.7),
    seed=0,
):
    """Votes of `groups` planted opinion groups: each agrees with its own block of
    statements and disagrees with the others' blocks; everyone agrees with the
    `consensus` statements and disagrees with the `consensus_against` ones. Votes are
    flipped with probability `flip`, and each participant skips a share of the
    statements drawn from `missing`. Returns the votes and the planted group of each
    participant."""
    generator = np.random.default_rng(seed)
    truth = np.repeat(np.arange(groups), per_group)
    owner = np.concatenate(
        [
            np.repeat(np.arange(groups), block),
            np.full(consensus, -1),
            np.full(consensus_against, -2),
        ]
    )
    opinion = np.where(owner[None, :] == truth[:, None], 1, -1)
    opinion[:, owner == -1] = 1
    opinion = np.where(generator.random(opinion.shape) < flip, -opinion, opinion)
    skipped = generator.uniform(*missing, size=len(truth))
    voted = generator.random(opinion.shape) >= skipped[:, None]
    votes = [
        (f"p{row}", statement_name(column, owner[column]), int(opinion[row, column]))
        for row, column in zip(*np.nonzero(voted), strict=True)
    ]
    return votes, {f"p{row}": int(group) for row, group in enumerate(truth)}


def statement_name(column, owner):
    if owner == -1:
        return f"consensus-{column}"
    if owner == -2:
        return f"rejected-{column}"
    return f"block{owner}-{column}"


def ari(result, truth):
    found = {
        member: group.number for group in result.groups for member in group.members
    }
    return adjusted_rand_score(
        [truth[member] for member in found], list(found.values())
    )


@pytest.mark.parametrize("groups", [2, 3, 4])
def test_planted_groups_are_recovered(groups):
    votes, truth = planted_votes(groups, seed=groups)
    result = analyse_opinions(votes)
    assert result.k == groups
    assert ari(result, truth) >= 0.9
    assert set(result.silhouettes) == {2, 3, 4, 5}
    assert result.note == ""


def test_groups_are_numbered_from_the_largest():
    votes, truth = planted_votes(2, seed=7)
    dropped = {f"p{index}" for index in range(20)}  # of the planted group 0
    result = analyse_opinions([vote for vote in votes if vote[0] not in dropped])
    assert [group.number for group in result.groups] == [1, 2]
    assert result.groups[0].size > result.groups[1].size
    assert {truth[member] for member in result.groups[0].members} == {1}


def test_each_group_is_represented_by_its_own_block_of_statements():
    votes, truth = planted_votes(3, seed=11)
    result = analyse_opinions(votes, top_representative=40)
    for group in result.groups:
        planted = np.bincount([truth[member] for member in group.members]).argmax()
        agreed = [r for r in group.representative if r.direction == "agree"]
        disagreed = [r for r in group.representative if r.direction == "disagree"]
        assert agreed and disagreed
        assert all(r.statement.startswith(f"block{planted}-") for r in agreed)
        assert not any(r.statement.startswith(f"block{planted}-") for r in disagreed)
        for item in group.representative:
            assert item.p_group > 0.5 and item.ratio > 1 and item.z > 1.2816
        ratios = [item.ratio for item in group.representative]
        assert ratios == sorted(ratios, reverse=True)


def test_five_representative_statements_per_group_by_default():
    votes, _ = planted_votes(2, seed=12)
    result = analyse_opinions(votes)
    assert [len(group.representative) for group in result.groups] == [5, 5]


def test_planted_consensus_is_found_and_is_not_representative():
    votes, _ = planted_votes(3, consensus=3, consensus_against=2, seed=13)
    result = analyse_opinions(votes, top_representative=100)
    assert {c.statement.split("-")[0] for c in result.consensus_agree} == {"consensus"}
    assert len(result.consensus_agree) == 3
    assert {c.statement.split("-")[0] for c in result.consensus_disagree} == {
        "rejected"
    }
    assert len(result.consensus_disagree) == 2
    for item in result.consensus_agree:
        assert len(item.p_by_group) == 3 and min(item.p_by_group) == item.p_min >= 0.6
    minimums = [item.p_min for item in result.consensus_agree]
    assert minimums == sorted(minimums, reverse=True)
    representative = {r.statement for g in result.groups for r in g.representative}
    assert not any(s.startswith(("consensus", "rejected")) for s in representative)


def test_a_single_opinion_population_is_one_group():
    votes, _ = planted_votes(1, per_group=150, block=20, seed=14)
    result = analyse_opinions(votes)
    assert result.k == 1
    assert result.groups[0].size == 150 - result.participants_excluded
    assert result.groups[0].representative == ()
    assert result.note.startswith("no group structure")
    assert len(result.consensus_agree) == 10  # the 20 statements, top 10 kept


def test_participants_who_all_voted_alike_are_one_group():
    votes = [
        (f"p{p}", f"s{s}", 1 if s % 2 else -1) for p in range(20) for s in range(8)
    ]
    result = analyse_opinions(votes)
    assert result.k == 1 and result.note.startswith("no group structure")
    assert len(result.consensus_agree) == 4 and len(result.consensus_disagree) == 4


def test_no_votes_give_no_group():
    result = analyse_opinions([])
    assert result.groups == () and result.participants == 0
    assert result.note == "no participant has enough votes"


def test_fewer_than_ten_participants_make_one_group():
    votes, _ = planted_votes(2, per_group=4, missing=(0, 0), seed=15)
    result = analyse_opinions(votes)
    assert result.k == 1 and result.groups[0].size == 8
    assert "fewer than 10 participants" in result.note


def test_participants_with_too_few_votes_are_excluded_but_counted_in_totals():
    votes, _ = planted_votes(2, per_group=20, missing=(0, 0), seed=16)
    votes += [("shy", "block0-0", 1), ("shy", "block0-1", 1)]
    result = analyse_opinions(votes)
    assert result.min_votes == 7
    assert result.participants == 41 and result.participants_excluded == 1
    assert "shy" not in {member for g in result.groups for member in g.members}
    totals = {item.statement: item for item in result.statements}
    first = totals["block0-0"]
    assert first.agree + first.disagree + first.passed == 41


def test_the_vote_threshold_can_be_set():
    votes, _ = planted_votes(2, per_group=20, missing=(0, 0), seed=17)
    votes += [("shy", "block0-0", 1), ("shy", "block0-1", 1)]
    assert analyse_opinions(votes, min_votes=2).participants_excluded == 0
    assert analyse_opinions(votes, min_votes=25).participants_excluded == 41


def test_the_default_threshold_is_the_number_of_statements_when_there_are_few():
    votes = [(f"p{p}", f"s{s}", 1) for p in range(12) for s in range(3)]
    votes.append(("late", "s0", 1))
    result = analyse_opinions(votes)
    assert result.min_votes == 3 and result.participants_excluded == 1


def test_the_last_vote_of_a_participant_on_a_statement_wins():
    votes = [(f"p{p}", f"s{s}", 1) for p in range(12) for s in range(8)]
    votes += [("p0", "s0", -1), ("p1", "s0", 0), ("p1", "s0", -1)]
    result = analyse_opinions(votes)
    totals = {item.statement: item for item in result.statements}
    assert (totals["s0"].agree, totals["s0"].disagree, totals["s0"].passed) == (
        10,
        2,
        0,
    )
    assert (totals["s1"].agree, totals["s1"].disagree) == (12, 0)


def test_max_groups_bounds_the_number_of_groups():
    votes, _ = planted_votes(4, seed=18)
    result = analyse_opinions(votes, max_groups=2)
    assert result.k == 2 and set(result.silhouettes) == {2}
    assert analyse_opinions(votes, max_groups=1).k == 1


def test_a_vote_other_than_agree_disagree_or_pass_is_refused():
    with pytest.raises(ValueError, match="expected 1"):
        analyse_opinions([("p0", "s0", 2)])


def test_the_analysis_is_deterministic_and_plain_json():
    votes, _ = planted_votes(3, seed=19)
    first = analyse_opinions(votes).to_json()
    assert json.loads(json.dumps(first)) == first
    assert analyse_opinions(list(votes)).to_json() == first
    assert first["k"] == 3 and len(first["groups"]) == 3
    assert {"statement", "direction", "p_group", "p_others", "ratio"} <= set(
        first["groups"][0]["representative"][0]
    )


def write_votes(path, votes, *, header="participant,statement,vote", prefix=""):
    lines = [header, *(f"{p},{s},{v}" for p, s, v in votes)]
    path.write_text(prefix + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_command_prints_the_groups_as_json(tmp_path):
    votes, truth = planted_votes(2, per_group=20, block=8, consensus=2, seed=20)
    source = write_votes(tmp_path / "votes.csv", votes, prefix="\ufeff")
    out = io.StringIO()
    call_command("opinions", str(source), stdout=out)
    result = json.loads(out.getvalue())
    assert result["k"] == 2
    for group in result["groups"]:
        assert len({truth[member] for member in group["members"]}) == 1
        assert group["representative"]
    assert {c["statement"] for c in result["consensus_agree"]} == {
        "consensus-16",
        "consensus-17",
    }


def test_the_command_options_are_passed_on(tmp_path):
    votes, _ = planted_votes(3, per_group=15, block=8, seed=21)
    source = write_votes(tmp_path / "votes.csv", votes)
    out = io.StringIO()
    call_command("opinions", str(source), max_groups=2, min_votes=30, stdout=out)
    result = json.loads(out.getvalue())
    assert result["min_votes"] == 30 and result["participants_excluded"] == 45
    assert (
        result["groups"] == [] and result["note"] == "no participant has enough votes"
    )
    out = io.StringIO()
    call_command("opinions", str(source), "--max-groups", "2", stdout=out)
    assert json.loads(out.getvalue())["k"] == 2


def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("opinions", str(tmp_path / "absent.csv"))


def test_the_command_refuses_a_file_without_vote_column(tmp_path):
    source = tmp_path / "votes.csv"
    source.write_text("participant,statement,avis\np1,s1,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no `vote` column"):
        call_command("opinions", str(source))


def test_the_command_refuses_a_bad_vote_with_its_line_number(tmp_path):
    source = tmp_path / "votes.csv"
    source.write_text(
        "participant,statement,vote\np1,s1,1\np1,s2,-1\np2,s1,oui\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"line 4: the vote is 'oui'"):
        call_command("opinions", str(source))


def test_the_command_refuses_a_file_that_is_not_utf8(tmp_path):
    source = tmp_path / "votes.csv"
    source.write_bytes("participant,statement,vote\nRené,s1,1\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("opinions", str(source))
