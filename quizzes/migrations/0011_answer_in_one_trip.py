"""On PostgreSQL, a function that writes an answer and everything it counts in, in one round
trip (see quizzes.services.one_trip); nothing on other databases."""

from django.db import migrations

from config.postgresql.migrating import on_postgresql

# The same writes, in the same order (and so the same order of locks), as answer_record's
# transaction in Python: the quiz's row locked, the answer, the quiz's counts, the progress
# version, the card, the tallies. Anything it does not expect (the quiz not where the caller
# saw it, the answer already there) returns 'declined' having written nothing; a card changed
# since the caller read it raises serialization_failure, undoing the statement. Either way the
# caller goes on to the Python path, which sorts the case out under its locks.
CREATE = """
CREATE OR REPLACE FUNCTION quizzes_answer_write(
    p_attempt bigint, p_question bigint, p_position integer, p_learner integer,
    p_given varchar, p_chosen varchar, p_right boolean, p_at timestamptz,
    p_response_ms integer, p_gave_up boolean,
    p_module bigint, p_clue varchar, p_day date,
    p_card bigint, p_card_xmin text, p_state smallint, p_step smallint,
    p_stability double precision, p_difficulty double precision, p_due timestamptz,
    p_last_review timestamptz, p_reviews integer, p_lapses integer
) RETURNS TABLE (
    outcome text, answer_id bigint, answered integer, correct integer, finished timestamptz
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    quiz record;
    new_id bigint;
    done timestamptz;
BEGIN
    SELECT a.answered_count, a.correct_count, a.question_count, a.finished_at, a.learner_id
        INTO quiz FROM quizzes_attempt a WHERE a.id = p_attempt FOR UPDATE;
    IF NOT FOUND OR quiz.learner_id IS DISTINCT FROM p_learner
            OR p_position <> quiz.answered_count + 1 THEN
        RETURN QUERY SELECT 'declined', NULL::bigint, NULL::integer, NULL::integer,
            NULL::timestamptz;
        RETURN;
    END IF;
    INSERT INTO quizzes_answer (question_id, given, chosen_module, is_correct, answered_at,
            response_ms, gave_up, corrected_at)
        VALUES (p_question, p_given, p_chosen, p_right, p_at, p_response_ms, p_gave_up, NULL)
        ON CONFLICT DO NOTHING RETURNING id INTO new_id;
    IF new_id IS NULL THEN
        RETURN QUERY SELECT 'declined', NULL::bigint, NULL::integer, NULL::integer,
            NULL::timestamptz;
        RETURN;
    END IF;
    done := CASE WHEN quiz.answered_count + 1 = quiz.question_count THEN p_at
        ELSE quiz.finished_at END;
    UPDATE quizzes_attempt SET answered_count = quiz.answered_count + 1,
            correct_count = quiz.correct_count + p_right::integer, finished_at = done
        WHERE id = p_attempt;
    IF p_learner IS NOT NULL THEN
        UPDATE accounts_profile SET progress_version = progress_version + 1
            WHERE user_id = p_learner;
        IF p_card IS NULL THEN
            INSERT INTO quizzes_card (learner_id, module_id, state, step, stability,
                    difficulty, due, last_review, reviews, lapses)
                VALUES (p_learner, p_module, p_state, p_step, p_stability, p_difficulty,
                    p_due, p_last_review, p_reviews, p_lapses)
                ON CONFLICT DO NOTHING;
        ELSE
            UPDATE quizzes_card SET state = p_state, step = p_step, stability = p_stability,
                    difficulty = p_difficulty, due = p_due, last_review = p_last_review,
                    reviews = p_reviews, lapses = p_lapses
                WHERE id = p_card AND xmin::text = p_card_xmin;
        END IF;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the card changed since it was read'
                USING ERRCODE = 'serialization_failure';
        END IF;
        INSERT INTO quizzes_itemtally AS t (learner_id, module_id, clue, asked, "right")
            VALUES (p_learner, p_module, p_clue, 1, p_right::integer)
            ON CONFLICT (learner_id, module_id, clue)
            DO UPDATE SET asked = t.asked + 1, "right" = t."right" + p_right::integer;
        INSERT INTO quizzes_moduletally AS t (learner_id, module_id, asked, "right")
            VALUES (p_learner, p_module, 1, p_right::integer)
            ON CONFLICT (learner_id, module_id)
            DO UPDATE SET asked = t.asked + 1, "right" = t."right" + p_right::integer;
        IF NOT p_right AND p_chosen <> '' THEN
            INSERT INTO quizzes_confusiontally AS t (learner_id, module_id, chosen, times)
                VALUES (p_learner, p_module, p_chosen, 1)
                ON CONFLICT (learner_id, module_id, chosen)
                DO UPDATE SET times = t.times + 1;
            INSERT INTO classrooms_classconfusiontally AS t (classroom_id, module_id, chosen,
                    times)
                SELECT m.classroom_id, p_module, p_chosen, 1 FROM classrooms_membership m
                    WHERE m.student_id = p_learner ORDER BY m.classroom_id
                ON CONFLICT (classroom_id, module_id, chosen)
                DO UPDATE SET times = t.times + 1;
        END IF;
        INSERT INTO quizzes_daytally AS t (learner_id, day, answered, "right")
            VALUES (p_learner, p_day, 1, p_right::integer)
            ON CONFLICT (learner_id, day)
            DO UPDATE SET answered = t.answered + 1, "right" = t."right" + p_right::integer;
    END IF;
    RETURN QUERY SELECT 'written', new_id, quiz.answered_count + 1,
        quiz.correct_count + p_right::integer, done;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS quizzes_answer_write"


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0010_module_tallies"),
        ("accounts", "0003_progress_version"),
        ("classrooms", "0003_classroom_version"),
    ]

    operations = [on_postgresql(CREATE, DROP)]
