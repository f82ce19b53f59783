"""Output formats that machines read (Gradescope, JUnit, GitHub Classroom), and what every
format shares: the points of each case, the hidden-case policy, safe student text."""
