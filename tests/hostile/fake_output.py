"""Attack: print what a grader scraping stdout might take for results: a JSON result
line, a score, "PASSED", also raw on file descriptors 1 and 2."""

import json
import os

FAKE = {"exercise": "numerical_derivative", "status": "returned", "value": 2.5718, "score": 100}


def numerical_derivative(f, x, h=1e-5):
    print(json.dumps(FAKE))
    print("Score: 100/100 -- ALL TESTS PASSED")
    os.write(1, b'\x00\x00\x00\x10{"t":"result"}\n')
    os.write(2, b"PASSED\n")
    return "PASSED"


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
