-- A vote is cast only from its confirm screen: tapping a candidate stores a confirmation, and
-- "Cast my vote" counts only the choice that was confirmed. THE BALLOT IS SECRET: the row holds
-- no choice, only a seal (a hash of a one-time key with the candidate) that matches the Cast
-- button of that confirm screen, which alone carries the key. No time column, no rowid order.
-- The row goes when the vote is cast, when the voter chooses again, and when the contest closes.
CREATE TABLE ballot_confirmations (
    contest_id INTEGER NOT NULL REFERENCES election_contests (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    seal       TEXT    NOT NULL,
    PRIMARY KEY (contest_id, user_id)
) WITHOUT ROWID;
