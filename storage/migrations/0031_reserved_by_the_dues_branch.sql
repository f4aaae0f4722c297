-- Placeholder on the dues branch only, so that 0032_dues.sql applies without a gap.
-- The lead drops this file at merge (the annual plan's and the money's migrations take these numbers).
SELECT 1;
