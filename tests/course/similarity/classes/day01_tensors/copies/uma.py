# uma: copied bilal's notebook and renamed his variables
# %% ex1_answer
temperatures = torch.tensor([[30, 32, 33],
                             [29, 31, 34]])

# one adjustment of +2 degrees for every reading
adjustment = torch.ones(2, 3, dtype=torch.int64) * 2
# add the adjustment position by position
adjusted = temperatures + adjustment
print(adjusted)
# %% ex2_answer
def numpy_to_tensor(array):
    """Return a tensor that shares memory with the NumPy array `array`."""
    # from_numpy shares the memory (torch.tensor would copy it)
    out = torch.from_numpy(array)
    return out
# %% ex3_answer
def describe(t):
    """Return (number of dimensions, shape, dtype, device) of the tensor `t`."""
    n_dims = t.ndim
    size = t.shape
    kind = t.dtype
    where = t.device
    return n_dims, size, kind, where
# %% ex4_answer
p = torch.tensor([[1, 2],
                  [3, 4]])
q = torch.tensor([[5, 6],
                  [7, 8]])

# element-wise product
elementwise = p * q
# matrix product (rows times columns)
matrix_product = torch.matmul(p, q)
print(elementwise)
print(matrix_product)
# %% ex5_answer
def customer_totals(quantities, prices):
    """Return the total bill of each customer: shape (customers, 1)."""
    # (customers x products) @ (products x 1) -> (customers x 1)
    bills = torch.matmul(quantities, prices)
    return bills
# %% ex6_answer
def average(t):
    """Return the mean of all elements of `t` as a 0-D float32 tensor."""
    # mean() only works on floating point numbers
    as_float = t.float()
    avg = as_float.mean()
    return avg
# %% ex7_answer
morning = torch.tensor([[12, 14, 11],
                        [10, 13, 12]])   # 2 days x 3 places
evening = torch.tensor([[18, 16],
                        [19, 17],
                        [15, 14]])       # 3 places x 2 days
try:
    evening - morning
except RuntimeError as err:
    print("RuntimeError:", err)


def temperature_change(morning, evening):
    """Return evening minus morning, shape (days, places); `evening` is stored as (places, days)."""
    # evening is stored as (places, days), so transpose it first
    ev = evening.T
    diff = ev - morning
    return diff
# %% ex8_answer
def neuron(inputs, weights, bias):
    """Return the weighted sum of `inputs` plus `bias`, as a 0-D tensor."""
    # multiply each input by its weight and add everything up
    prod = inputs * weights
    prod_sum = prod.sum()
    return prod_sum + bias


def count_weights(sizes):
    """Return the number of weights of a network with layer sizes `sizes` (inputs first, outputs last)."""
    # every layer is connected to the next one
    count = 0
    for k in range(len(sizes) - 1):
        # weights between layer k and layer k + 1
        count = count + sizes[k] * sizes[k + 1]
    return count
