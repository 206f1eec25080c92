"""Orchestration of a night: the jobs that wire crawl → audit → report (`jobs`), the distributed night over Redis
(`distributed`) and the scheduling of IPOMEX portal crawls (`portal`)."""
