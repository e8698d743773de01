"""Dataset loaders: each reads files shipped in ``helpers/data`` or inside an installed package, never the network."""
