"""`python -m tests.adversarial`: run the attacks and print their figures (see `run`)."""

from tests.adversarial.run import main

main()
