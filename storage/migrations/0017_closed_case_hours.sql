-- s30-hours: migration 0016 filled cases.hours at the next listing for open cases only, so a closed case stored
-- before it never got its decisions with time until its next save, while Rapporter -> Internkontroll counts a
-- closed case's decisions still in force: an open case of 60 h and a closed one of 40 h were listed by the report
-- and reminded of by nothing in Att göra. Clearing deadline_checked_on of each closed case without hours makes the
-- next listing's refresh (off the unlock's path) read it once (``CaseRepository._stale_chunk``) and fill them in.
-- Every such case, not only those whose document holds decisions: that look-up parsed each document here, on the
-- unlock's path (10,000 cases: 60-150 ms of CPU against 11-13, s30-hours), to spare the refresh a few reads.
UPDATE cases SET deadline_checked_on = '' WHERE status = 'closed' AND hours = '';
