"""Who is audited: the padrón of municipalities (`padron`, bundled in `data/`) and the discovery of their sites
(`discovery/`)."""
