import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def scaled_step(x, grad, learning_rate, scale):
    """한 걸음을 배율과 함께 갑니다: x - learning_rate * scale * grad.

    Make one step with a scale: x - learning_rate * scale * grad.
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
