from remqa.cli import main

raise SystemExit(main())
