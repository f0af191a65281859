from carefully.cli import main

raise SystemExit(main())
