from orgtui.cli import main

raise SystemExit(main())
