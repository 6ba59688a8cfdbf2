"""Reading documents and guessing what they date: the domain under `stidiplo extract`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stidiplo.extract.finding import blocks
from stidiplo.extract.guessing import countries_in, fields_in, organizations_in
from stidiplo.extract.proposals import Proposal, propose, similarity
from stidiplo.extract.reading import Document, Line, UnreadableDocument, read_document
from stidiplo.model import KINDS, STATUSES
from tests.helpers import fixture_items

TODAY = date(2019, 4, 30)
DOCUMENTS = Path(__file__).parent / "documents"


def document(text: str, name: str = "memo.txt") -> Document:
    return Document(name, [Line(f"line {n}", t) for n, t in enumerate(text.splitlines(), 1)])


def proposals(text: str, items: list | None = None, today: date = TODAY) -> list[Proposal]:
    return propose(document(text), items or [], today)


def summary(found: list[Proposal]) -> list[tuple[str, str | None, str, list[str]]]:
    return [(p.date.text, p.end.text if p.end else None, p.kind.value, p.countries.value) for p in found]


# -- reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp932", "euc_jp"])
def test_text_in_japanese_encodings_reads_the_same(tmp_path: Path, encoding: str) -> None:
    text = "・2018年9月に日・EU量子技術ワークショップを開催。\n"
    path = tmp_path / "memo.txt"
    path.write_bytes(text.encode(encoding))
    assert [line.text for line in read_document(path).lines] == [text.strip()]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "the file is empty"),
        (b" \n\n\t\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "a binary file"),
        (b"caf\xe9 \x85\xff\x86\xfe " * 4, "cannot read the text in any known encoding"),
    ],
)
def test_what_is_not_text_is_refused_in_one_sentence(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument) as refused:
        read_document(path)
    assert says in str(refused.value)
    assert "\n" not in str(refused.value)


def test_markdown_reads_as_the_words_a_reader_sees(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Status\n\n**On 3 March 2019** the [JST](https://jst.go.jp) workshop was held.\n", encoding="utf-8"
    )
    texts = [line.text for line in read_document(path).lines]
    assert texts == ["■ Status", "", "On 3 March 2019 the JST workshop was held."]


def test_a_word_document_gives_what_its_text_gives(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    text = (DOCUMENTS / "white_paper.txt").read_text(encoding="utf-8")
    word = docx.Document()
    for paragraph in text.splitlines():
        word.add_paragraph(paragraph)
    path = tmp_path / "white_paper.docx"
    word.save(str(path))
    from_word = propose(read_document(path), [], TODAY)
    from_text = propose(read_document(DOCUMENTS / "white_paper.txt"), [], TODAY)
    assert summary(from_word) == summary(from_text)
    assert from_word[0].source == f"{path}, paragraph 4"


def _pdf(path: Path, lines: list[str]) -> None:
    pytest.importorskip("pypdf")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    page = canvas.Canvas(str(path))
    for number, line in enumerate(lines):
        page.drawString(40, 800 - 14 * number, line)
    page.save()


def test_a_pdf_with_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "record.pdf"
    _pdf(path, (DOCUMENTS / "meeting_record.txt").read_text(encoding="utf-8").splitlines())
    found = propose(read_document(path), [], date(2021, 3, 15))
    assert ("2019-11-14", None, "meeting", ["DE"]) in summary(found)
    assert found[0].source.startswith(f"{path}, page 1, line ")


def test_a_scanned_pdf_without_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _pdf(path, [])
    with pytest.raises(UnreadableDocument, match="no text layer"):
        read_document(path)


# -- dates ----------------------------------------------------------------------------------------


def dates_of(text: str) -> list[tuple[str, str | None, bool]]:
    return [
        (m.date.text, m.end.text if m.end else None, m.year_lent)
        for b in blocks(document(text))
        for s in b.sentences
        for m in s.mentions
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2018年9月に開催。9月3～4日、パリ。", [("2018-09", None, False), ("2018-09-03", "2018-09-04", True)]),
        ("平成30年4月に訪問。同年10月に署名。", [("2018-04", None, False), ("2018-10", None, True)]),
        ("2003年(平成15年)4月に開催された。", [("2003-04", None, False)]),
        ("２０１８年１０月９日～１２日", [("2018-10-09", "2018-10-12", False)]),
        ("日時:2018年11月29日(木)、30日(金)東京", [("2018-11-29", "2018-11-30", False)]),
        ("令和元年5月20日から22日にかけて開催", [("2019-05-20", "2019-05-22", False)]),
        ("平成30年度採択、2020年度中に実施", [("FY2018", None, False), ("FY2020", None, False)]),
        (
            "A workshop was held on 3-4 Sep 2018 and on 5 October.",
            [("2018-09-03", "2018-09-04", False), ("2018-10-05", None, True)],
        ),
        (
            "Signed on March 12, 2021 for FY2022, as planned in 2020.",
            [("2021-03-12", None, False), ("FY2022", None, False), ("2020", None, False)],
        ),
    ],
)
def test_dates_are_read_with_the_project_parser_and_the_year_written_before(text: str, found: list) -> None:
    assert dates_of(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "RENKEIメンバー大学(2019年4月現在)",
        "2017年度までは若手研究者を対象とした",
        "2014年以来建設中",
        "研究領域(2016年度~)",
        "in force until 2020.",
    ],
)
def test_bounds_and_as_of_dates_are_not_happenings(text: str) -> None:
    assert dates_of(text) == []


def test_a_sentence_broken_across_lines_and_a_blank_is_mended() -> None:
    text = "・第3回北極科学大臣会合の日本での開催について、2018年10月26日のASM2で\n\n2020年の日本開催を提案し、了承。"
    [block] = [b for b in blocks(document(text)) if b.sentences]
    assert block.text.endswith("了承。")
    assert [m.date.text for s in block.sentences for m in s.mentions] == ["2018-10-26", "2020"]


def test_a_line_opening_with_a_particle_goes_on_with_the_line_above() -> None:
    text = "概要：技術開発の促進を目的として、協力の取り決めを2012年5月\n\nに初締結。\n\nにわか雨の記録。"
    found = [b.text for b in blocks(document(text))]
    assert found == ["概要:技術開発の促進を目的として、協力の取り決めを2012年5月に初締結。", "にわか雨の記録。"]
    [signed] = proposals(text)
    assert (signed.date.text, signed.kind.value) == ("2012-05", "agreement")


def test_a_title_ending_in_ni_tsuite_closes_before_the_text_under_it() -> None:
    text = "日本・フィンランド共同公募の採択課題の決定について\n\nJSTは3件の研究課題を採択しました。"
    assert [b.text for b in blocks(document(text))] == [
        "日本・フィンランド共同公募の採択課題の決定について",
        "JSTは3件の研究課題を採択しました。",
    ]


# -- kinds, statuses, countries, fields -----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "kind", "status"),
    [
        ("・STSフォーラム(2018年10月7日)でJSTとERCの実施取極に署名。", "agreement", "done"),
        ("・2018年9月に日・EU量子技術ワークショップを開催。", "event", "done"),
        ("・NSF量子技術専門家チームが2018年10月に来訪。", "visit", "done"),
        ("・2018年11月1日理化学研究所欧州事務所(ベルギー・ブリュッセル)の開設。", "office", "done"),
        ("日独首脳会談(2019年2月)", "meeting", "done"),
        ("・2019年10月にタイにて第一回フォーラムを開催予定。", "event", "scheduled"),
        ("・2020年度中のワークショップの実施に向けて調整中", "event", "coordinating"),
        ("・2018年10月に共同プログラムの協議開始。", "program", "coordinating"),
        ("In November 2018 the minister visited Kyoto.", "visit", "done"),
        ("JST will open a joint call for proposals in September 2021.", "joint-call", "scheduled"),
    ],
)
def test_kind_and_status_come_from_the_wording(sentence: str, kind: str, status: str) -> None:
    [found] = proposals(sentence, today=date(2019, 4, 30))
    assert (found.kind.value, found.status.value) == (kind, status)
    assert found.kind.reason and found.status.reason


@pytest.mark.parametrize(
    "text",
    [
        "・2017年9月公募開始、2018年度課題採択",
        "The joint call opened in September 2017; projects were selected in FY2018.",
    ],
)
def test_a_call_and_the_selection_after_it_are_two_happenings(text: str) -> None:
    assert [(p.date.text, p.kind.value) for p in proposals(text)] == [("2017-09", "joint-call"), ("FY2018", "event")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2019年3月13日に採択結果を公表。", "event"),
        ("2019年4月から支援開始し、最大5年間支援予定。", "program"),
        ("2018年度は「気候変動」を研究テーマに据える。", "program"),
        ("・2018年3月3日に国際宇宙探査に関する原則を承認。", "agreement"),
        ("The forum adopted a charter on 3 March 2018.", "agreement"),
        ("A side event for students was held on 3 March 2018.", "event"),
        ("研究課題への支援は2021年4月に開始し、最長3年間の予定です。", "program"),
        ("本公募は、2019年10月に東京で開催された国際スマートシティ会議の成果を踏まえたものです。", "event"),
    ],
)
def test_selections_support_themes_and_charters_have_their_kinds(text: str, kind: str) -> None:
    [found] = proposals(text)
    assert found.kind.value == kind, found.kind.reason


OUTCOMES = """第2回国際宇宙探査フォーラム
1.日時・場所
2018年3月3日(土) 於：東京
2.主な成果
① 共同声明
② 国際宇宙探査に関する原則
※参加各国の支持を得て「東京原則」とすることが承認
③ ISEF運営規約
・AIに関する共同声明への署名に向けて最終調整中
"""


def test_outcome_documents_listed_under_a_meeting_are_agreements_of_its_day() -> None:
    forum, *outcomes = proposals(OUTCOMES)
    assert (forum.date.text, forum.kind.value, forum.countries.value) == ("2018-03-03", "event", ["INTL"])
    titles = ["第2回国際宇宙探査フォーラム 共同声明", "国際宇宙探査に関する原則", "ISEF運営規約"]
    assert [o.title.value for o in outcomes] == titles
    for outcome in outcomes:
        assert (outcome.date.text, outcome.kind.value, outcome.status.value) == ("2018-03-03", "agreement", "done")
        assert outcome.countries.value == ["INTL"] and outcome.follows is None  # only a meeting is followed


@pytest.mark.parametrize(
    "text",
    [
        "日英首脳会談(2019年1月)\n■日英共同声明",
        "Record of the Joint Committee\nDate: 14 November 2018\n\nOutcomes\n- A joint statement on open science.",
    ],
)
def test_a_headed_or_listed_joint_statement_takes_its_meetings_date(text: str) -> None:
    meeting, statement = proposals(text)
    assert (statement.date.text, statement.kind.value) == (meeting.date.text, "agreement")
    assert statement.follows is not None and statement.follows.value == meeting.id


@pytest.mark.parametrize(
    "text",
    [
        "日独首脳会談(2019年2月)\n・AIに関する共同声明への署名に向けて最終調整中",  # still to come
        "第3回会合(2030年5月)\n・共同声明",  # a meeting to come adopts nothing yet
        "・2019年3月にワークショップを開催。\n2019年の主な活動\n・共同声明",  # a later date without a meeting
        "・2019年3月にワークショップを開催。\n共同声明の概要を示す。",  # prose, not a listed outcome
    ],
)
def test_no_outcome_without_a_held_meeting_just_dated(text: str) -> None:
    assert [p.kind.value for p in proposals(text)] in (["meeting"], ["event"], [])


def test_a_date_without_a_happening_is_not_proposed() -> None:
    assert proposals("・RENKEIの主な活動(2018年)\n2016年に稼働開始した施設を見学した。") == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("日米合同委員会と日独協力", ["US", "DE"]),
        ("日英・日中・日EU・日ASEAN", ["GB", "CN", "EU", "ASEAN"]),
        ("仏国パリ、独BMBF、英国", ["FR", "DE", "GB"]),
        ("スウェーデン、デンマーク and Sweden's agency", ["SE", "DK"]),
        ("NSF and the ERC", ["US", "EU"]),
        ("独立行政法人の拠点タイプ、日本", []),
        ("国際共同研究", []),
        ("第2回国際宇宙探査フォーラム", ["INTL"]),
        ("EU加盟11カ国及び日本を含む20の国から120名が参加", ["EU", "INTL"]),
        ("an International Conference on Quantum Science in Paris, France", ["INTL", "FR"]),
        ("researchers from twenty countries", ["INTL"]),
        ("多国間の協力", ["INTL"]),
        ("両国の研究者、2か国の協力, the two countries", []),
    ],
)
def test_countries_in_both_languages_pairs_and_organisations(text: str, codes: list[str]) -> None:
    assert countries_in(text) == codes


def test_fields_and_organisations_are_named() -> None:
    assert fields_in("量子技術と北極科学、neuroscience") == ["quantum", "arctic", "neuroscience"]
    assert organizations_in("JSTとNSF、理化学研究所") == ["JST", "NSF", "理化学研究所"]


# -- proposals ------------------------------------------------------------------------------------

STATUS_PAGE = """文部科学大臣とモエダス欧州委員の会談(2018年1月)後の状況

■量子技術
・2018年9月に日・EU量子技術ワークショップを開催。
(JSTが開催。9月3～4日、仏・パリ、120名が参加。)
・2017年5月にJSTとERCの覚書に署名。
"""


def test_follow_ups_under_a_status_page_follow_its_meeting() -> None:
    meeting, workshop, earlier = proposals(STATUS_PAGE)
    assert (meeting.kind.value, meeting.date.text, meeting.follows) == ("meeting", "2018-01", None)
    assert workshop.follows is not None and workshop.follows.value == meeting.id
    assert earlier.follows is None  # dated before the meeting: not one of its follow-ups


def test_a_happening_written_twice_is_proposed_once_at_the_precise_date() -> None:
    _, workshop, _ = proposals(STATUS_PAGE)
    assert (workshop.date.text, workshop.end.text if workshop.end else None) == ("2018-09-03", "2018-09-04")
    assert set(workshop.countries.value) == {"EU", "FR"}
    assert workshop.also_at == ["memo.txt, line 4"]


def test_the_meeting_of_a_status_page_is_found_in_the_tracker() -> None:
    items = fixture_items()
    held = {i.title: i.id for i in items}
    meeting, workshop, _ = proposals(STATUS_PAGE, items)
    assert meeting.duplicate_of == held["文部科学大臣とモエダス欧州委員の会談"]
    assert workshop.duplicate_of == held["日・EU量子技術ワークショップ"]
    assert workshop.follows is not None and workshop.follows.value == held["文部科学大臣とモエダス欧州委員の会談"]


def test_two_calls_of_one_month_with_different_names_stay_two() -> None:
    text = (
        "「量子状態の高度制御」(JSTと仏ANRとのjoint call)\n・2018年4月公募開始\n\n"
        "「人間と情報環境の共生」(JSTと仏ANRとのjoint call)\n・2018年4月公募開始\n"
    )
    found = proposals(text)
    assert [p.title.value for p in found] == [
        "「量子状態の高度制御」 公募開始",
        "「人間と情報環境の共生」 公募開始",
    ]
    assert all(p.countries.value == ["FR"] for p in found)


def test_proposal_ids_are_stable_across_runs() -> None:
    assert [p.id for p in proposals(STATUS_PAGE)] == [p.id for p in proposals(STATUS_PAGE)]


def test_similarity_of_titles() -> None:
    assert similarity("日・EU量子技術ワークショップ", "日・EU量子技術ワークショップの開催") > 0.8
    assert similarity("MIRAIセミナー", "北極科学大臣会合") == 0.0


PIECES = st.sampled_from(
    [
        "2018年",
        "9月3～4日",
        "同年",
        "平成30年度",
        "令和元年",
        "~",
        "、",
        "。",
        "(",
        ")",
        "・",
        "\n",
        "\n\n",
        " ",
        "日米",
        "開催",
        "署名",
        "公募開始",
        "予定",
        "後の状況",
        "Date:",
        "3-4 Sep 2018",
        "in 2020",
        "held",
        "signed",
        "日時:",
        "5",
        "31日",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40))
def test_any_text_gives_valid_proposals_or_none(pieces: list[str]) -> None:
    for proposal in proposals("".join(pieces)):
        assert proposal.kind.value in KINDS and proposal.status.value in STATUSES
        assert proposal.end is None or proposal.end.last >= proposal.date.first
        assert proposal.title.value.strip()


@pytest.mark.parametrize(
    ("lang", "shown", "absent"),
    [("ja", ["提案 1", "日付", "件名"], ["Date", "Title"]), ("en", ["Proposal 1", "Date", "Title"], ["日付"])],
)
def test_a_proposal_is_shown_with_labels_in_the_readers_language(
    lang: str, shown: list[str], absent: list[str]
) -> None:
    from stidiplo.views import plain_text
    from stidiplo.views.proposals import proposal_detail

    document = Path(__file__).parent / "documents" / "press_release_ja.txt"
    proposal = propose(read_document(document), [], date(2021, 3, 15))[0]
    page = plain_text(proposal_detail(proposal, 1, lang), 100)
    assert all(word in page for word in shown) and not any(word in page for word in absent)
