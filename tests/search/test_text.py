"""How search reads words: stopwords, acronyms, plurals and edit distance."""

from search.text import acronyms, content_words, edit_distance, word_forms


def test_edit_distance():
    assert edit_distance("magnesum", "magnesium") == 1
    assert edit_distance("", "abc") == 3
    assert edit_distance("kitten", "sitting") == 3


def test_swapping_two_neighbouring_letters_is_one_edit():
    assert edit_distance("calcuim", "calcium") == 1
    assert edit_distance("teh", "the") == 1


def test_question_and_complaint_words_are_not_content():
    assert content_words("Why won't my eye stop twitching?") == ["eye", "twitching"]
    assert content_words("why does my eyelid keep twitching") == [
        "eyelid",
        "twitching",
    ]
    assert content_words("is it normal for my eye to twitch") == ["eye", "twitch"]


def test_vitamin_d_keeps_its_d():
    assert content_words("low vitamin d") == ["low", "vitamin", "d"]


def test_words_in_capitals_are_acronyms_unless_the_whole_query_is_shouted():
    assert acronyms("ALS twitching") == {"als"}
    assert acronyms("ALS") == {"als"}
    assert acronyms("low B12 and MS") == {"b12", "ms"}
    assert acronyms("MAGNESIUM TWITCHING") == set()
    assert acronyms("magnesium") == set()


def test_word_forms_include_the_singular_a_plural_may_stand_for():
    assert word_forms("bells") == {"bells", "bell"}
    assert "twitch" in word_forms("twitches")
    assert "remedy" in word_forms("remedies")
    assert word_forms("stress") == {"stress"}
    assert word_forms("als") == {"als"}
